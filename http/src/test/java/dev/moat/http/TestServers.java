package dev.moat.http;

import dev.moat.core.TlsPolicy;
import dev.moat.testkit.BadTls;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/** MockWebServer set-ups shared by the tests: loopback only, certificates from testkit. */
final class TestServers {
  static final String HOST = "localhost";
  static final String BODY = "moat says hello";

  static {
    // Loading testkit's catalog re-enables TLS 1.0/1.1 in this JVM's JSSE for the legacy
    // scenarios; it must happen before anything (MockWebServer, OkHttp) creates an SSLContext.
    BadTls.names();
  }

  private TestServers() {}

  /** A started MockWebServer speaking plain HTTP. */
  static MockWebServer plaintext() {
    MockWebServer server = new MockWebServer();
    start(server);
    return server;
  }

  /** A started MockWebServer presenting {@code credentials} with the JDK's default parameters. */
  static MockWebServer https(Credentials credentials) {
    return https(serverFactory(credentials, List.of(), List.of()));
  }

  /** A started MockWebServer over TLS with this server-side socket factory. */
  static MockWebServer https(SSLSocketFactory factory) {
    MockWebServer server = new MockWebServer();
    server.useHttps(factory);
    start(server);
    return server;
  }

  private static void start(MockWebServer server) {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String url(MockWebServer server, String scheme, String path) {
    return scheme + "://" + HOST + ":" + server.getPort() + path;
  }

  static MockResponse ok() {
    return new MockResponse.Builder().code(200).body(BODY).build();
  }

  /**
   * A server socket factory presenting {@code credentials}, limited to these protocols/suites
   * (testkit's; through this class so that its static block runs before the first SSLContext).
   */
  static SSLSocketFactory serverFactory(
      Credentials credentials, List<String> protocols, List<String> suites) {
    return credentials.serverSocketFactory(protocols, suites);
  }

  /** Trusts the PKI's root and exempts localhost from TLS (for plaintext, HSTS, integrity). */
  static TlsPolicy exemptingLocalhost(TestPki pki) {
    return TlsPolicy.builder()
        .trustRoot(pki.root())
        .insecureAllowPlaintextTo(HOST, "test server on loopback")
        .build();
  }

  static void shutdown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
