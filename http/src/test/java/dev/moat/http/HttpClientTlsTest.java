package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** java.net.http built by Moat, against real loopback servers. */
class HttpClientTlsTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(15);

  private static MockWebServer plain;
  private static MockWebServer tls;
  private static TlsPolicy strict;

  @BeforeAll
  static void start() {
    plain = TestServers.plaintext();
    tls = TestServers.https(PKI.goodChain());
    strict = TlsPolicy.builder().trustRoot(PKI.root()).build();
  }

  @AfterAll
  static void stop() throws IOException {
    plain.close();
    tls.close();
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(BOUND).build();
  }

  @Test
  void send_httpUri_refusedBeforeAnyConnection() throws Exception {
    HttpClient client = HttpClientTls.newBuilder(strict).connectTimeout(BOUND).build();
    try (MockWebServer fresh = TestServers.plaintext();
        TlsTestServer listener = TlsTestServer.plaintext()) {
      fresh.enqueue(TestServers.ok());
      String url = "http://" + TestServers.HOST + ":" + listener.port() + "/orders";
      HttpRefusalException e =
          catchThrowableOfType(
              HttpRefusalException.class,
              () -> client.send(get(url), HttpResponse.BodyHandlers.ofString()));
      assertThat(e.check()).isEqualTo(Check.PLAINTEXT);
      assertThat(e.getCause()).isInstanceOf(PlaintextRefusedException.class);
      assertThat(e.getMessage())
          .contains("Refused plaintext http connection to " + url)
          .contains("insecureAllowPlaintextTo(\"localhost\"");

      CompletableFuture<HttpResponse<String>> async =
          client.sendAsync(
              get(TestServers.url(fresh, "http", "/async")), HttpResponse.BodyHandlers.ofString());
      assertThat(async).isCompletedExceptionally();
      assertThatThrownBy(() -> async.get(1, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(HttpRefusalException.class);
      assertThat(listener.acceptedConnections()).isZero();
      assertThat(fresh.getRequestCount()).isZero();
    }
  }

  @Test
  void checkUri_plaintextUris_refusedUnlessExempt() throws Exception {
    assertThatThrownBy(() -> HttpClientTls.checkUri(strict, URI.create("http://api.example.com/")))
        .isInstanceOf(HttpRefusalException.class)
        .hasMessageContaining("http://api.example.com/");
    assertThatThrownBy(() -> HttpClientTls.checkUri(strict, URI.create("ws://api.example.com/feed")))
        .isInstanceOf(HttpRefusalException.class);
    HttpClientTls.checkUri(strict, URI.create("https://api.example.com/"));
    HttpClientTls.checkUri(
        TestServers.exemptingLocalhost(PKI), URI.create("http://localhost:8080/"));
    assertThat(strict.allowsPlaintextTo("api.example.com")).isFalse();
  }

  @Test
  void webSocket_wsUri_refused() {
    HttpClient client = HttpClientTls.newClient(strict);
    CompletableFuture<WebSocket> ws =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(TestServers.url(plain, "ws", "/feed")), new WebSocket.Listener() {});
    assertThat(ws).isCompletedExceptionally();
  }

  @Test
  void send_goodServer_bodyOverPolicyTls() throws Exception {
    HttpClient client = HttpClientTls.newBuilder(strict).connectTimeout(BOUND).build();
    tls.enqueue(TestServers.ok());
    HttpResponse<String> response =
        client.send(get(TestServers.url(tls, "https", "/")), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo(TestServers.BODY);
    assertThat(strict.protocols()).contains(response.sslSession().orElseThrow().getProtocol());
  }

  @Test
  void send_pinMismatch_coreRefusalIsTheCause() {
    List<Pin> pins = TestPki.unrelatedPins(2);
    TlsPolicy pinned =
        strict.toBuilder().pin(TestServers.HOST, pins.get(0).toString(), pins.get(1).toString()).build();
    HttpClient client = HttpClientTls.newBuilder(pinned).connectTimeout(BOUND).build();
    SSLHandshakeException e =
        catchThrowableOfType(
            SSLHandshakeException.class,
            () -> client.send(get(TestServers.url(tls, "https", "/")), HttpResponse.BodyHandlers.ofString()));
    TlsRefusalException refusal = (TlsRefusalException) e.getCause();
    assertThat(refusal.check()).isEqualTo(Check.PIN);
    assertThat(e.getMessage()).isEqualTo(refusal.getMessage()).contains(TestPki.pinOf(PKI.leaf()).toString());
  }

  @Test
  void redirect_httpsToHttpWithNormal_notFollowed() throws Exception {
    HttpClient client =
        HttpClientTls.newBuilder(strict)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(BOUND)
            .build();
    int before = plain.getRequestCount();
    tls.enqueue(
        new MockResponse.Builder()
            .code(302)
            .addHeader("Location", TestServers.url(plain, "http", "/downgraded"))
            .build());
    HttpResponse<String> response =
        client.send(get(TestServers.url(tls, "https", "/start")), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(plain.getRequestCount()).isEqualTo(before);
  }

  @Test
  void builder_weakeningSettings_refusedLoudly() throws Exception {
    HttpClient.Builder builder = HttpClientTls.newBuilder(strict);
    assertThatThrownBy(() -> builder.followRedirects(HttpClient.Redirect.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("followRedirects ALWAYS");
    SSLContext other = SSLContext.getInstance("TLS");
    other.init(null, null, null);
    assertThatThrownBy(() -> builder.sslContext(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sslContext is set by the TlsPolicy");
    SSLParameters old = new SSLParameters();
    old.setProtocols(new String[] {"TLSv1", "TLSv1.1"});
    assertThatThrownBy(() -> builder.sslParameters(old))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share nothing");

    // Narrowing is accepted, and the result stays within the policy.
    SSLParameters mixed = new SSLParameters();
    mixed.setProtocols(new String[] {"TLSv1", "TLSv1.2"});
    mixed.setEndpointIdentificationAlgorithm(null);
    HttpClient client = builder.sslParameters(mixed).build();
    assertThat(client.sslParameters().getProtocols()).containsExactly("TLSv1.2");
    assertThat(client.sslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(client.sslContext()).isSameAs(strict.sslContext("https"));
  }

  @Test
  void hsts_headerOverVerifiedTls_laterHttpRequestUpgraded() throws Exception {
    HstsStore hsts = HstsStore.inMemory();
    HttpClient client =
        HttpClientTls.newBuilder(
                TestServers.exemptingLocalhost(PKI), HttpOptions.builder().hstsStore(hsts).build())
            .connectTimeout(BOUND)
            .build();
    tls.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Strict-Transport-Security", "max-age=3600")
            .body("remember me")
            .build());
    client.send(get(TestServers.url(tls, "https", "/")), HttpResponse.BodyHandlers.ofString());
    assertThat(hsts.upgrades(TestServers.HOST)).isTrue();

    tls.enqueue(TestServers.ok());
    HttpResponse<String> upgraded =
        client.send(get(TestServers.url(tls, "http", "/again?q=1")), HttpResponse.BodyHandlers.ofString());
    assertThat(upgraded.body()).isEqualTo(TestServers.BODY);
    assertThat(upgraded.uri().toString()).isEqualTo(TestServers.url(tls, "https", "/again?q=1"));
    assertThat(upgraded.sslSession()).isPresent();
  }
}
