package dev.moat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.moat.core.Check;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole bad-TLS catalog against OkHttp and java.net.http built by Moat: every bad server is
 * refused with its typed {@link Check} (the {@link TlsRefusalException} is the cause of the
 * exception the call throws) within a bounded time; the good server returns a body.
 *
 * <p>MockWebServer serves every scenario with a certificate (testkit's credentials, protocols and
 * suites through a server socket factory). Two scenarios use testkit's {@link TlsTestServer}
 * instead: PLAINTEXT, whose server speaks first (MockWebServer would wait for an HTTP request line
 * and never answer a TLS ClientHello), and REVOKED_STAPLED, whose server staples an OCSP response
 * (MockWebServer cannot). Both are refused before any HTTP is spoken.
 */
class HttpCatalogTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  @ParameterizedTest(name = "okhttp {0}")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void okhttp_catalogScenario_refusedWithItsCheckOrReturnsBody(Scenario scenario) throws Exception {
    assumeTrue(scenario.unavailableReason().isEmpty(), () -> scenario.unavailableReason().get());
    OkHttpClient client = OkHttpTls.newBuilder(scenario.policy()).callTimeout(BOUND).build();
    try (Served served = serve(scenario)) {
      Request request = new Request.Builder().url(served.url).build();
      long start = System.nanoTime();
      if (scenario.expectsSuccess()) {
        try (Response response = client.newCall(request).execute()) {
          assertThat(response.code()).isEqualTo(200);
          assertThat(response.body().string()).isEqualTo(TestServers.BODY);
          assertThat(response.handshake()).isNotNull();
        }
      } else {
        IOException e =
            catchThrowableOfType(IOException.class, () -> client.newCall(request).execute());
        assertRefused(scenario, e, served.port, start);
      }
    } finally {
      TestServers.shutdown(client);
    }
  }

  @ParameterizedTest(name = "java.net.http {0}")
  @MethodSource("dev.moat.testkit.BadTls#catalog")
  void httpClient_catalogScenario_refusedWithItsCheckOrReturnsBody(Scenario scenario)
      throws Exception {
    assumeTrue(scenario.unavailableReason().isEmpty(), () -> scenario.unavailableReason().get());
    HttpClient client =
        HttpClientTls.newBuilder(scenario.policy()).connectTimeout(BOUND).build();
    try (Served served = serve(scenario)) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(served.url)).timeout(BOUND).build();
      long start = System.nanoTime();
      if (scenario.expectsSuccess()) {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TestServers.BODY);
        assertThat(response.sslSession()).isPresent();
      } else {
        IOException e =
            catchThrowableOfType(
                IOException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
        assertRefused(scenario, e, served.port, start);
      }
    }
  }

  private static void assertRefused(Scenario scenario, IOException e, int port, long startNanos) {
    Check expected = scenario.expectedCheck().orElseThrow();
    assertThat(e).as("%s must be refused", scenario).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(BOUND);
    // The typed refusal is the direct cause, and its message is the exception's message.
    assertThat(e.getCause()).isInstanceOf(TlsRefusalException.class);
    TlsRefusalException refusal = (TlsRefusalException) e.getCause();
    assertThat(refusal.check()).as("check for %s: %s", scenario, e.getMessage()).isEqualTo(expected);
    assertThat(e.getMessage()).isEqualTo(refusal.getMessage()).contains("[check: " + expected + "]");
    assertThat(TlsRefusals.explain(e, TestServers.HOST, port, "https").map(TlsRefusalException::check))
        .contains(expected);
  }

  private static Served serve(Scenario scenario) {
    if (scenario.plaintext() || scenario.staplesOcsp()) {
      // Refusal-only scenarios MockWebServer cannot play: a server that speaks first in plaintext,
      // and one that staples OCSP (testkit's server does, with JDK server-side stapling).
      TlsTestServer server = TlsTestServer.start(scenario);
      return new Served(server.port(), server::close);
    }
    MockWebServer server = TestServers.https(scenario.serverSocketFactory());
    server.enqueue(TestServers.ok());
    return new Served(server.getPort(), server::close);
  }

  /** Either server, closed the same way. */
  private static final class Served implements AutoCloseable {
    final int port;
    final String url;
    private final Closer server;

    Served(int port, Closer server) {
      this.port = port;
      this.url = "https://" + TestServers.HOST + ":" + port + "/catalog";
      this.server = server;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private interface Closer {
    void close() throws IOException;
  }
}
