package dev.moat.amqp.internal;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLContext} for one Proton-J transport: it creates client engines from the policy's
 * context, applies the policy's {@link SSLParameters} (Proton-J applies none: it would otherwise
 * offer whatever the JVM enables, TLS 1.0 included where a JVM re-enabled it), and records the
 * first TLS failure.
 *
 * <p>It refuses to create an engine without a peer host: Moat's trust manager checks the host name
 * from {@link SSLEngine#getPeerHost()}, and an engine without one could not be checked.
 */
public final class PolicySslContext extends SSLContext {
  private final HandshakeRecord record;

  /**
   * @param delegate the policy's context, {@code policy.sslContext("amqp")}
   * @param parameters the policy's parameters, {@code policy.sslParameters()}
   * @param record where the first TLS failure of the connection goes
   */
  public PolicySslContext(SSLContext delegate, SSLParameters parameters, HandshakeRecord record) {
    super(new Spi(delegate, parameters, record), delegate.getProvider(), delegate.getProtocol());
    this.record = record;
  }

  /** Where this context's engines record their first TLS failure. */
  public HandshakeRecord record() {
    return record;
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final SSLParameters parameters;
    private final HandshakeRecord record;

    Spi(SSLContext delegate, SSLParameters parameters, HandshakeRecord record) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.parameters = Objects.requireNonNull(parameters, "parameters");
      this.record = Objects.requireNonNull(record, "record");
    }

    @Override
    protected void engineInit(
        KeyManager @Nullable [] km, TrustManager @Nullable [] tm, @Nullable SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException(
          "this context is already initialised from a TlsPolicy; configure the policy instead");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw new UnsupportedOperationException(
          "Proton-J transports use engines; use TlsPolicy.sslSocketFactory(\"amqp\") for sockets");
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException("a Moat client context does not serve");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw new IllegalStateException(
          "refusing to create a TLS engine without the peer's host: the host name could not be"
              + " verified; pass SslPeerDetails (ProtonTls.peerDetails(host, port)) to"
              + " Transport.ssl(domain, peerDetails)");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(@Nullable String host, int port) {
      if (host == null || host.isEmpty()) {
        return engineCreateSSLEngine();
      }
      SSLEngine engine = delegate.createSSLEngine(host, port);
      engine.setUseClientMode(true);
      engine.setSSLParameters(copy(parameters));
      return new RecordingSslEngine(engine, record);
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
      return copy(parameters);
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }

    private static SSLParameters copy(SSLParameters p) {
      SSLParameters c = new SSLParameters();
      c.setProtocols(p.getProtocols());
      c.setCipherSuites(p.getCipherSuites());
      c.setEndpointIdentificationAlgorithm(p.getEndpointIdentificationAlgorithm());
      c.setUseCipherSuitesOrder(p.getUseCipherSuitesOrder());
      if (p.getServerNames() != null) {
        c.setServerNames(p.getServerNames());
      }
      return c;
    }
  }
}
