package dev.moat.testkit.internal;

import dev.moat.core.internal.ConfiguringSocketFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Wraps an initialised server {@link SSLContext} so that every server socket, socket and engine it
 * makes needs a client certificate. An {@code SSLContext} alone cannot say "need client auth"; this
 * lets one value carry it to servers that only take a context.
 */
public final class NeedClientAuthContext {
  private NeedClientAuthContext() {}

  /** The wrapped context. */
  public static SSLContext wrap(SSLContext delegate) {
    return new SSLContext(new Spi(delegate), delegate.getProvider(), delegate.getProtocol()) {};
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;

    Spi(SSLContext delegate) {
      this.delegate = delegate;
    }

    @Override
    protected void engineInit(
        KeyManager @Nullable [] km, TrustManager @Nullable [] tm, @Nullable SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("this test context is already initialised");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      // For servers that layer TLS over accepted sockets (as OkHttp's MockWebServer does).
      return new ConfiguringSocketFactory(delegate.getSocketFactory(), s -> s.setNeedClientAuth(true));
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new NeedingServerSocketFactory(delegate.getServerSocketFactory());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      SSLEngine engine = delegate.createSSLEngine();
      engine.setNeedClientAuth(true);
      return engine;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(@Nullable String host, int port) {
      SSLEngine engine = delegate.createSSLEngine(host, port);
      engine.setNeedClientAuth(true);
      return engine;
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      SSLParameters parameters = delegate.getDefaultSSLParameters();
      parameters.setNeedClientAuth(true);
      return parameters;
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  private static final class NeedingServerSocketFactory extends SSLServerSocketFactory {
    private final SSLServerSocketFactory delegate;

    NeedingServerSocketFactory(SSLServerSocketFactory delegate) {
      this.delegate = delegate;
    }

    private static ServerSocket need(ServerSocket socket) {
      ((SSLServerSocket) socket).setNeedClientAuth(true);
      return socket;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return need(delegate.createServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return need(delegate.createServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return need(delegate.createServerSocket(port, backlog));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      return need(delegate.createServerSocket(port, backlog, address));
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }
  }
}
