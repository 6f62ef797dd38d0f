package dev.moat.examples;

import dev.moat.testkit.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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
    return serve(credentials, List.of(), List.of());
  }

  /** A started server presenting {@code credentials}, with only these protocols and suites. */
  static MockWebServer serve(Credentials credentials, List<String> protocols, List<String> suites) {
    MockWebServer server = new MockWebServer();
    server.useHttps(new Configuring(context(credentials).getSocketFactory(), protocols, suites));
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

  private static SSLContext context(Credentials credentials) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {credentials.keyManager()}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Applies the enabled protocols and suites to every socket MockWebServer wraps. */
  private static final class Configuring extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final List<String> protocols;
    private final List<String> suites;

    Configuring(SSLSocketFactory delegate, List<String> protocols, List<String> suites) {
      this.delegate = delegate;
      this.protocols = protocols;
      this.suites = suites;
    }

    private Socket configure(Socket socket) {
      SSLSocket ssl = (SSLSocket) socket;
      if (!protocols.isEmpty()) {
        ssl.setEnabledProtocols(protocols.toArray(new String[0]));
      }
      if (!suites.isEmpty()) {
        ssl.setEnabledCipherSuites(suites.toArray(new String[0]));
      }
      return ssl;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return configure(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return configure(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
