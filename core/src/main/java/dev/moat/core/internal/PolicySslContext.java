package dev.moat.core.internal;

import dev.moat.core.TlsPolicy;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose client sockets and engines start out with the policy's parameters
 * (versions, cipher suites, endpoint identification), so that a library which takes only an
 * SSLContext (Netty-based clients, Proton-J, JDBC drivers) does not fall back to the JVM's defaults.
 * The trust manager refuses anything else the negotiation produces, whatever the library does later.
 */
public final class PolicySslContext extends SSLContext {
  public PolicySslContext(SSLContext delegate, TlsPolicy policy) {
    super(new Spi(delegate, policy), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final TlsPolicy policy;

    Spi(SSLContext delegate, TlsPolicy policy) {
      this.delegate = delegate;
      this.policy = policy;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException("a Moat policy's SSLContext is already initialised; build a new policy instead");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return ConfiguringSocketFactory.forPolicy(delegate.getSocketFactory(), policy);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new PolicyServerSocketFactory(delegate.getServerSocketFactory(), policy);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return configure(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return configure(delegate.createSSLEngine(host, port));
    }

    private SSLEngine configure(SSLEngine engine) {
      engine.setSSLParameters(policy.sslParameters());
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
      return policy.sslParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }
}
