package dev.moat.mqtt.internal;

import dev.moat.core.TlsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocketFactory;

/**
 * The policy's {@code SSLSocketFactory} for protocol {@code mqtt}, marked so that the connect-time
 * check can tell it from a factory a user put into the options later.
 */
public final class MqttSocketFactory extends SSLSocketFactory {
  private final TlsPolicy policy;
  private final SSLSocketFactory delegate;

  public MqttSocketFactory(TlsPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.delegate = policy.sslSocketFactory(MqttChecks.PROTOCOL);
  }

  /** The policy whose trust manager, key manager and parameters this factory's sockets use. */
  public TlsPolicy policy() {
    return policy;
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
  public Socket createSocket() throws IOException {
    return delegate.createSocket();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    return delegate.createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
    return delegate.createSocket(s, consumed, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }

  @Override
  public String toString() {
    return "MqttSocketFactory[" + policy + "]";
  }
}
