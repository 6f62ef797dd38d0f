package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OkHttp built by Moat: plaintext refusal, redirects, pins, HSTS, on real loopback servers. */
class OkHttpTlsTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(15);

  private static MockWebServer plain;
  private static MockWebServer tls;

  @BeforeAll
  static void startServers() {
    plain = TestServers.plaintext();
    tls = TestServers.https(PKI.goodChain());
  }

  @AfterAll
  static void stopServers() throws IOException {
    plain.close();
    tls.close();
  }

  private static OkHttpClient client(TlsPolicy policy) {
    return OkHttpTls.newBuilder(policy).callTimeout(BOUND).build();
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  @Test
  void newBuilder_httpUrl_refusedBeforeAnyConnection() throws Exception {
    OkHttpClient client = client(TlsPolicy.builder().trustRoot(PKI.root()).build());
    try (MockWebServer fresh = TestServers.plaintext();
        TlsTestServer listener = TlsTestServer.plaintext()) {
      fresh.enqueue(TestServers.ok());
      for (String url :
          List.of(
              TestServers.url(fresh, "http", "/orders"),
              "http://" + TestServers.HOST + ":" + listener.port() + "/orders")) {
        HttpRefusalException e =
            catchThrowableOfType(HttpRefusalException.class, () -> client.newCall(get(url)).execute());
        assertThat(e.check()).isEqualTo(Check.PLAINTEXT);
        assertThat(e.host()).isEqualTo(TestServers.HOST);
        assertThat(e.getCause()).isInstanceOf(PlaintextRefusedException.class);
        assertThat(e.getMessage())
            .contains("Refused plaintext http connection to " + url)
            .contains("[check: PLAINTEXT]")
            .contains("insecureAllowPlaintextTo(\"localhost\"");
      }
      // Not a request, not even a TCP connection.
      assertThat(fresh.getRequestCount()).isZero();
      assertThat(listener.acceptedConnections()).isZero();
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void newBuilder_httpUrlWithCredentials_messageShowsNeither() {
    OkHttpClient client = client(TlsPolicy.builder().trustRoot(PKI.root()).build());
    String url = "http://alice:s3cret@" + TestServers.HOST + ":" + plain.getPort() + "/x?token=t0ps3cret";
    HttpRefusalException e =
        catchThrowableOfType(HttpRefusalException.class, () -> client.newCall(get(url)).execute());
    assertThat(e.getMessage())
        .contains("http://localhost:" + plain.getPort() + "/x")
        .doesNotContain("alice")
        .doesNotContain("s3cret")
        .doesNotContain("t0ps3cret");
    TestServers.shutdown(client);
  }

  @Test
  void newBuilder_exemptHost_plaintextAllowed() throws Exception {
    OkHttpClient client = client(TestServers.exemptingLocalhost(PKI));
    plain.enqueue(TestServers.ok());
    try (Response response = client.newCall(get(TestServers.url(plain, "http", "/legacy"))).execute()) {
      assertThat(response.body().string()).isEqualTo(TestServers.BODY);
      assertThat(response.handshake()).isNull();
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void newBuilder_goodServer_returnsBodyOverPolicyTls() throws Exception {
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    OkHttpClient client = client(policy);
    tls.enqueue(TestServers.ok());
    try (Response response = client.newCall(get(TestServers.url(tls, "https", "/"))).execute()) {
      assertThat(response.body().string()).isEqualTo(TestServers.BODY);
      assertThat(policy.protocols()).contains(response.handshake().tlsVersion().javaName());
      assertThat(policy.cipherSuites()).contains(response.handshake().cipherSuite().javaName());
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void redirect_httpsToHttp_refusedAndNothingReachesPlaintext() throws Exception {
    TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root()).build();
    int before = plain.getRequestCount();
    String target = TestServers.url(plain, "http", "/downgraded");
    for (OkHttpClient client :
        List.of(client(policy), OkHttpTls.newBuilder(policy).followSslRedirects(true).build())) {
      tls.enqueue(new MockResponse.Builder().code(302).addHeader("Location", target).build());
      HttpRefusalException e =
          catchThrowableOfType(
              HttpRefusalException.class,
              () -> client.newCall(get(TestServers.url(tls, "https", "/start"))).execute());
      assertThat(e.check()).isEqualTo(Check.PLAINTEXT);
      assertThat(e.getMessage())
          .contains("Refused redirect from https://localhost:" + tls.getPort() + "/start to " + target);
      TestServers.shutdown(client);
    }
    assertThat(plain.getRequestCount()).isEqualTo(before);
  }

  @Test
  void redirect_httpsToHttps_followed() throws Exception {
    OkHttpClient client = client(TlsPolicy.builder().trustRoot(PKI.root()).build());
    tls.enqueue(new MockResponse.Builder().code(301).addHeader("Location", "/moved").build());
    tls.enqueue(TestServers.ok());
    try (Response response = client.newCall(get(TestServers.url(tls, "https", "/old"))).execute()) {
      assertThat(response.body().string()).isEqualTo(TestServers.BODY);
      assertThat(response.request().url().encodedPath()).isEqualTo("/moved");
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void handshake_pinMismatch_coreRefusalIsTheCause() throws Exception {
    List<Pin> pins = TestPki.unrelatedPins(2);
    TlsPolicy policy =
        TlsPolicy.builder()
            .trustRoot(PKI.root())
            .pin(TestServers.HOST, pins.get(0).toString(), pins.get(1).toString())
            .build();
    OkHttpClient client = client(policy);
    int before = tls.getRequestCount();
    SSLHandshakeException e =
        catchThrowableOfType(
            SSLHandshakeException.class,
            () -> client.newCall(get(TestServers.url(tls, "https", "/pinned"))).execute());
    TlsRefusalException refusal = (TlsRefusalException) e.getCause();
    assertThat(refusal.check()).isEqualTo(Check.PIN);
    assertThat(e.getMessage())
        .isEqualTo(refusal.getMessage())
        .contains("[check: PIN]")
        .contains(TestPki.pinOf(PKI.leaf()).toString())
        .contains(pins.get(0).toString());
    assertThat(tls.getRequestCount()).isEqualTo(before);
    TestServers.shutdown(client);
  }

  @Test
  void hsts_headerOverVerifiedTls_laterHttpRequestUpgraded() throws Exception {
    HstsStore hsts = HstsStore.inMemory();
    OkHttpClient client =
        OkHttpTls.newBuilder(
                TestServers.exemptingLocalhost(PKI), HttpOptions.builder().hstsStore(hsts).build())
            .callTimeout(BOUND)
            .build();
    try {
      // Before: the exempted host is reached in plaintext.
      plain.enqueue(TestServers.ok());
      try (Response before = client.newCall(get(TestServers.url(plain, "http", "/"))).execute()) {
        assertThat(before.handshake()).isNull();
      }
      tls.enqueue(
          new MockResponse.Builder()
              .code(200)
              .addHeader("Strict-Transport-Security", "max-age=3600; includeSubDomains")
              .body("remember me")
              .build());
      try (Response first = client.newCall(get(TestServers.url(tls, "https", "/"))).execute()) {
        assertThat(first.body().string()).isEqualTo("remember me");
      }
      assertThat(hsts.upgrades(TestServers.HOST)).isTrue();

      int plainBefore = plain.getRequestCount();
      tls.enqueue(TestServers.ok());
      try (Response upgraded =
          client.newCall(get(TestServers.url(tls, "http", "/again"))).execute()) {
        assertThat(upgraded.body().string()).isEqualTo(TestServers.BODY);
        assertThat(upgraded.handshake()).isNotNull();
        assertThat(upgraded.request().url().scheme()).isEqualTo("https");
      }
      // Any port of the host is upgraded: a plaintext server there now gets a TLS ClientHello.
      try (TlsTestServer plaintextListener = TlsTestServer.plaintext()) {
        String url = "http://" + TestServers.HOST + ":" + plaintextListener.port() + "/";
        SSLHandshakeException e =
            catchThrowableOfType(
                SSLHandshakeException.class, () -> client.newCall(get(url)).execute());
        assertThat(((TlsRefusalException) e.getCause()).check()).isEqualTo(Check.PLAINTEXT);
      }
      assertThat(plain.getRequestCount()).isEqualTo(plainBefore);
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void hsts_headerOverPlaintext_ignored() throws Exception {
    HstsStore hsts = HstsStore.inMemory();
    OkHttpClient client =
        OkHttpTls.newBuilder(
                TestServers.exemptingLocalhost(PKI), HttpOptions.builder().hstsStore(hsts).build())
            .build();
    plain.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Strict-Transport-Security", "max-age=3600")
            .body("x")
            .build());
    try (Response response = client.newCall(get(TestServers.url(plain, "http", "/"))).execute()) {
      assertThat(response.body().string()).isEqualTo("x");
    } finally {
      TestServers.shutdown(client);
    }
    assertThat(hsts.upgrades(TestServers.HOST)).isFalse();
    assertThat(hsts.size()).isZero();
  }
}
