package dev.moat.core.internal;

import dev.moat.core.TlsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Applies a policy's {@link javax.net.ssl.SSLParameters} to every socket it creates. */
public final class PolicySocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final TlsPolicy policy;

  public PolicySocketFactory(SSLSocketFactory delegate, TlsPolicy policy) {
    this.delegate = delegate;
    this.policy = policy;
  }

  private Socket configure(Socket s) {
    if (s instanceof SSLSocket) {
      SSLSocket ssl = (SSLSocket) s;
      javax.net.ssl.SSLParameters p = policy.sslParameters();
      // Keep server names (SNI) and ALPN that the socket was created with.
      javax.net.ssl.SSLParameters current = ssl.getSSLParameters();
      if (current.getServerNames() != null) {
        p.setServerNames(current.getServerNames());
      }
      if (current.getApplicationProtocols() != null && current.getApplicationProtocols().length > 0) {
        p.setApplicationProtocols(current.getApplicationProtocols());
      }
      ssl.setSSLParameters(p);
    }
    return s;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return policy.cipherSuites().toArray(String[]::new);
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return policy.cipherSuites().toArray(String[]::new);
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
  public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
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
}
