package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.ConnectionSpec;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 connection coalescing: OkHttp would reuse a connection verified for {@code www} for
 * {@code pay} (same IP, the certificate names both), re-checking only its own host-name verifier and
 * {@code CertificatePinner}, so the policy's rules for {@code pay} (pins, per-host roots,
 * relaxations, revocation) would never run. Moat's clients do not coalesce, and a connection that is
 * reused for another host anyway is re-verified for that host before the request is written.
 */
class OkHttpCoalescingTest {
  private static final String WWW = "www.example.test";
  private static final String PAY = "pay.example.test";
  private static final Duration BOUND = Duration.ofSeconds(15);
  /** Both names on one loopback address, as an attacker who controls DNS would arrange it. */
  private static final Dns LOOPBACK = host -> List.of(InetAddress.getByName("127.0.0.1"));
  /** OkHttp's own verifier, the one OkHttp requires before it coalesces. */
  private static final HostnameVerifier OKHTTP_VERIFIER =
      new OkHttpClient.Builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build().hostnameVerifier();

  private TestPki pki;
  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    pki = TestPki.create(WWW, PAY);
    // CA-issued (trusted) and valid for both names, but not the key the policy pins for pay.
    Credentials both = pki.leafBuilder().sans("DNS:" + WWW, "DNS:" + PAY).build();
    server = new MockWebServer();
    server.useHttps(TestServers.serverFactory(both, List.of(), List.of()));
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    for (int i = 0; i < 4; i++) {
      server.enqueue(TestServers.ok());
    }
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private TlsPolicy pinningPay() {
    List<Pin> pins = TestPki.unrelatedPins(2);
    return TlsPolicy.builder()
        .trustRoot(pki.root())
        .pin(PAY, pins.get(0).toString(), pins.get(1).toString())
        .build();
  }

  private TlsPolicy trustingRoot() {
    return TlsPolicy.builder().trustRoot(pki.root()).build();
  }

  private OkHttpClient.Builder moat(TlsPolicy policy) {
    return OkHttpTls.newBuilder(policy).dns(LOOPBACK).callTimeout(BOUND);
  }

  /** A caller's application interceptor (after Moat's) that puts OkHttp's own verifier back. */
  private OkHttpClient.Builder moatWithOkHttpVerifier(TlsPolicy policy) {
    return moat(policy).addInterceptor(chain -> chain.withHostnameVerifier(OKHTTP_VERIFIER).proceed(chain.request()));
  }

  private Request get(String host) {
    return new Request.Builder().url("https://" + host + ":" + server.getPort() + "/").build();
  }

  private static void assertServed(OkHttpClient client, Request request) throws IOException {
    try (Response r = client.newCall(request).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(r.body().string()).isEqualTo(TestServers.BODY);
    }
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("request recorded by the server").isNotNull();
    return request;
  }

  @Test
  void plainOkHttp_sameIpAndCertificate_coalesces() throws Exception {
    // The premise: without Moat, OkHttp carries pay over the connection it made for www.
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(pki.trustStore());
    X509TrustManager jdkTrustManager = (X509TrustManager) factory.getTrustManagers()[0];
    SSLContext jdk = SSLContext.getInstance("TLS");
    jdk.init(null, new TrustManager[] {jdkTrustManager}, null);
    OkHttpClient plain =
        new OkHttpClient.Builder()
            .sslSocketFactory(jdk.getSocketFactory(), jdkTrustManager)
            .dns(LOOPBACK)
            .callTimeout(BOUND)
            .build();
    try {
      assertServed(plain, get(WWW));
      assertServed(plain, get(PAY));
      assertThat(taken().getConnectionIndex()).isEqualTo(taken().getConnectionIndex());
    } finally {
      TestServers.shutdown(plain);
    }
  }

  @Test
  void pinnedSecondHost_afterConnectionToFirstHost_refusedWithPin() throws Exception {
    OkHttpClient client = moat(pinningPay()).build();
    try {
      assertServed(client, get(WWW));
      IOException e = catchThrowableOfType(IOException.class, () -> client.newCall(get(PAY)).execute().close());
      assertThat(e).as("pay over www's connection").isNotNull();
      assertThat(TlsRefusals.find(e)).map(TlsRefusalException::check).contains(Check.PIN);
      assertThat(TlsRefusals.find(e)).map(TlsRefusalException::host).contains(PAY);
      assertThat(server.getRequestCount()).as("nothing reached the server for pay").isEqualTo(1);
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void unpinnedSecondHost_sameCertificate_servedOverItsOwnVerifiedConnection() throws Exception {
    OkHttpClient client = moat(trustingRoot()).build();
    try {
      assertServed(client, get(WWW));
      assertServed(client, get(PAY));
      RecordedRequest www = taken();
      RecordedRequest pay = taken();
      assertThat(pay.getUrl().host()).isEqualTo(PAY);
      assertThat(pay.getConnectionIndex()).as("Moat does not coalesce").isNotEqualTo(www.getConnectionIndex());
      assertThat(pay.getHandshakeServerNames()).containsExactly(PAY);
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void callerRestoresOkHttpVerifier_pinnedSecondHost_refusedBeforeRequestIsWritten() throws Exception {
    OkHttpClient client = moatWithOkHttpVerifier(pinningPay()).build();
    try {
      assertServed(client, get(WWW));
      HttpRefusalException e =
          catchThrowableOfType(HttpRefusalException.class, () -> client.newCall(get(PAY)).execute().close());
      assertThat(e).as("pay over www's coalesced connection").isNotNull();
      assertThat(e.check()).isEqualTo(Check.PIN);
      assertThat(e.host()).isEqualTo(PAY);
      assertThat(e.getCause()).isInstanceOf(TlsRefusalException.class);
      TlsRefusalException refusal = (TlsRefusalException) e.getCause();
      assertThat(refusal.check()).isEqualTo(Check.PIN);
      assertThat(refusal.host()).isEqualTo(PAY);
      assertThat(e.getMessage()).startsWith(refusal.getMessage()).contains(WWW);
      assertThat(server.getRequestCount()).as("nothing reached the server for pay").isEqualTo(1);
    } finally {
      TestServers.shutdown(client);
    }
  }

  @Test
  void callerRestoresOkHttpVerifier_unpinnedSecondHost_reverifiedAndServedOverSharedConnection() throws Exception {
    OkHttpClient client = moatWithOkHttpVerifier(trustingRoot()).build();
    try {
      assertServed(client, get(WWW));
      assertServed(client, get(PAY));
      RecordedRequest www = taken();
      RecordedRequest pay = taken();
      assertThat(pay.getUrl().host()).isEqualTo(PAY);
      assertThat(pay.getConnectionIndex()).as("OkHttp coalesced").isEqualTo(www.getConnectionIndex());
    } finally {
      TestServers.shutdown(client);
    }
  }
}
