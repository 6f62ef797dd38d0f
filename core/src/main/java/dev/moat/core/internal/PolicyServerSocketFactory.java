package dev.moat.core.internal;

import dev.moat.core.TlsPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * Server sockets (a service that uses a policy's context to accept mutual-TLS clients) with the
 * policy's versions and cipher suites, instead of the JVM's defaults, which still include
 * non-forward-secret and CBC suites.
 */
final class PolicyServerSocketFactory extends SSLServerSocketFactory {
  private final SSLServerSocketFactory delegate;
  private final TlsPolicy policy;

  PolicyServerSocketFactory(SSLServerSocketFactory delegate, TlsPolicy policy) {
    this.delegate = delegate;
    this.policy = policy;
  }

  private ServerSocket configure(ServerSocket socket) {
    SSLServerSocket ssl = (SSLServerSocket) socket;
    ssl.setEnabledProtocols(policy.protocols().toArray(String[]::new));
    ssl.setEnabledCipherSuites(policy.cipherSuites().toArray(String[]::new));
    return ssl;
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
  public ServerSocket createServerSocket() throws IOException {
    return configure(delegate.createServerSocket());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return configure(delegate.createServerSocket(port));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return configure(delegate.createServerSocket(port, backlog));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
    return configure(delegate.createServerSocket(port, backlog, address));
  }
}
