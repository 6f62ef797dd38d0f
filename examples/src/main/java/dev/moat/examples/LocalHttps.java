package dev.moat.examples;

import dev.moat.testkit.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/**
 * A local HTTPS server for the examples and the demo: OkHttp's MockWebServer on 127.0.0.1,
 * presenting testkit's credentials, limited to the given protocols and cipher suites, answering
 * one request with {@link #BODY}. Never deploy this.
 */
final class LocalHttps {
  static final String BODY = "hello from a local HTTPS server";

  private LocalHttps() {}

  /** A started server presenting {@code credentials} with the JDK's default versions and suites. */
  static MockWebServer serve(Credentials credentials) {
    return serve(credentials.serverSocketFactory(List.of(), List.of()));
  }

  /**
   * A started server with this server-side socket factory: testkit's {@link
   * Credentials#serverSocketFactory} or {@link dev.moat.testkit.Scenario#serverSocketFactory()}.
   */
  static MockWebServer serve(SSLSocketFactory factory) {
    MockWebServer server = new MockWebServer();
    server.useHttps(factory);
    server.enqueue(new MockResponse.Builder().code(200).body(BODY).build());
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    }
    return server;
  }

  /** The URL a client uses: the name the test certificates carry ({@code localhost}). */
  static String url(MockWebServer server) {
    return "https://localhost:" + server.getPort() + "/";
  }
}
