package dev.moat.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.Consumer;
import dev.moat.core.TlsPolicy;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLSocketFactory} that hands every socket its delegate makes to a configurer before
 * returning it. Core uses it to give client sockets a policy's parameters ({@link #forPolicy});
 * testkit uses it for servers that layer TLS over accepted sockets (as OkHttp's MockWebServer does)
 * and so take a socket factory, not a server socket factory.
 */
public final class ConfiguringSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final Consumer<SSLSocket> configurer;
  private final String @Nullable [] suites;

  public ConfiguringSocketFactory(SSLSocketFactory delegate, Consumer<SSLSocket> configurer) {
    this(delegate, configurer, null);
  }

  private ConfiguringSocketFactory(
      SSLSocketFactory delegate, Consumer<SSLSocket> configurer, String @Nullable [] suites) {
    this.delegate = delegate;
    this.configurer = configurer;
    this.suites = suites;
  }

  /**
   * Client sockets with a policy's {@link javax.net.ssl.SSLParameters}, keeping the server names
   * (SNI) and ALPN protocols each socket was created with; reports the policy's suites as its own.
   */
  public static SSLSocketFactory forPolicy(SSLSocketFactory delegate, TlsPolicy policy) {
    return new ConfiguringSocketFactory(
        delegate,
        socket -> {
          SSLParameters p = policy.sslParameters();
          SSLParameters current = socket.getSSLParameters();
          if (current.getServerNames() != null) {
            p.setServerNames(current.getServerNames());
          }
          if (current.getApplicationProtocols() != null && current.getApplicationProtocols().length > 0) {
            p.setApplicationProtocols(current.getApplicationProtocols());
          }
          socket.setSSLParameters(p);
        },
        policy.cipherSuites().toArray(String[]::new));
  }

  /**
   * Enables only these protocols and cipher suites (JSSE names) on every socket; an empty list
   * keeps the JDK's defaults.
   */
  public static SSLSocketFactory limiting(
      SSLSocketFactory delegate, List<String> protocols, List<String> cipherSuites) {
    String[] p = protocols.toArray(new String[0]);
    String[] s = cipherSuites.toArray(new String[0]);
    return new ConfiguringSocketFactory(
        delegate,
        socket -> {
          if (p.length > 0) {
            socket.setEnabledProtocols(p);
          }
          if (s.length > 0) {
            socket.setEnabledCipherSuites(s);
          }
        });
  }

  private Socket configure(Socket socket) {
    if (socket instanceof SSLSocket) {
      configurer.accept((SSLSocket) socket);
    }
    return socket;
  }

  @Override
  public Socket createSocket() throws IOException {
    return configure(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return configure(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(Socket s, @Nullable InputStream consumed, boolean autoClose)
      throws IOException {
    return configure(delegate.createSocket(s, consumed, autoClose));
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

  @Override
  public String[] getDefaultCipherSuites() {
    return suites != null ? suites.clone() : delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return suites != null ? suites.clone() : delegate.getSupportedCipherSuites();
  }
}
