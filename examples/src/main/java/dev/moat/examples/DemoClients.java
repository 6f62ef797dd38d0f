package dev.moat.examples;

import dev.moat.core.TlsPolicy;
import dev.moat.http.HttpClientTls;
import dev.moat.http.OkHttpTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** The demo's clients from the protocol modules that need no external binary. */
final class DemoClients {
  /** Bounds every call of the demo's clients. */
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private DemoClients() {}

  /**
   * The server an HTTP client talks to for a scenario: MockWebServer with the scenario's
   * credentials, protocols and suites; testkit's {@link TlsTestServer} for the two scenarios
   * MockWebServer cannot play (a plaintext server that speaks first, an OCSP-stapling server), both
   * refused before any HTTP is spoken.
   */
  private static final class HttpsServer implements AutoCloseable {
    private final Runnable closer;
    final String url;

    HttpsServer(Scenario scenario) {
      if (scenario.plaintext() || scenario.staplesOcsp()) {
        TlsTestServer testServer = TlsTestServer.start(scenario);
        closer = testServer::close;
        url = "https://localhost:" + testServer.port() + "/";
      } else {
        MockWebServer mock = LocalHttps.serve(scenario.serverSocketFactory());
        closer = mock::close;
        url = LocalHttps.url(mock);
      }
    }

    @Override
    public void close() {
      closer.run();
    }
  }

  /** http: OkHttp built by {@link OkHttpTls}; GET against MockWebServer. */
  static final class OkHttp implements Demo.DemoClient {
    @Override
    public String name() {
      return "OkHttp";
    }

    @Override
    public String protocol() {
      return "https";
    }

    @Override
    public String exchange(Scenario scenario, TlsPolicy policy) throws Exception {
      OkHttpClient http = OkHttpTls.newBuilder(policy).callTimeout(TIMEOUT).build();
      try (HttpsServer server = new HttpsServer(scenario)) {
        return "GET " + OkHttpExample.get(http, server.url);
      } finally {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
  }

  /** http: the JDK's {@code java.net.http} client built by {@link HttpClientTls}. */
  static final class JdkHttp implements Demo.DemoClient {
    @Override
    public String name() {
      return "java.net.http";
    }

    @Override
    public String protocol() {
      return "https";
    }

    @Override
    public String exchange(Scenario scenario, TlsPolicy policy) throws Exception {
      HttpClient http = HttpClientTls.newBuilder(policy).connectTimeout(TIMEOUT).build();
      try (HttpsServer server = new HttpsServer(scenario)) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url)).timeout(TIMEOUT).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return "GET " + response.statusCode() + " '" + response.body() + "'";
      }
    }
  }

  /**
   * sql: the SQL Server driver configured by {@link dev.moat.sql.SqlServerTls} with {@code
   * encrypt=strict} (TDS 8) against testkit's {@link TlsTestServer}. No SQL Server runs here: a
   * completed TLS handshake counts as accepted (the login then fails).
   */
  static final class SqlServer implements Demo.DemoClient {
    @Override
    public String name() {
      return "SQL Server";
    }

    @Override
    public String protocol() {
      return dev.moat.sql.SqlServerTls.PROTOCOL;
    }

    @Override
    public String exchange(Scenario scenario, TlsPolicy policy) throws Exception {
      try (TlsTestServer server = TlsTestServer.start(scenario)) {
        SqlServerExample.connect(policy, server); // returns only when the handshake completed
        String tls = server.lastSession().map(s -> s.getProtocol()).orElse("?");
        return tls + " handshake passed, then login failed: no SQL Server here";
      }
    }
  }
}
