package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/**
 * Libraries that take only the policy's {@link SSLContext} get the policy's parameters on every
 * socket and engine; one that overrides them afterwards (enabling every version and suite the JVM
 * supports) is still refused by the trust manager before any application byte. testkit re-enables
 * TLS 1.0/1.1 in the test JVM, so the overriding client really offers them here.
 */
class NegotiatedParametersTest {

  @Test
  void sslContext_engineAndSocket_startWithThePolicyParameters() throws Exception {
    TlsPolicy policy = BadTls.byName("GOOD").policy();
    SSLContext context = policy.sslContext("amqp");
    SSLEngine engine = context.createSSLEngine("localhost", 5671);
    assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(engine.getEnabledCipherSuites()).containsExactlyElementsOf(policy.cipherSuites());
    assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }
    assertThatThrownBy(() -> context.init(null, null, null))
        .hasMessageContaining("already initialised");
  }

  @Test
  void handshake_clientOverridingVersionsAgainstTls10Server_refusedWithProtocol() {
    Scenario tls10 = BadTls.byName("TLS_1_0_ONLY");
    try (TlsTestServer server = TlsTestServer.start(tls10)) {
      assertThatThrownBy(() -> server.handshake(new Overriding(tls10.policy().sslContext("sqlserver"))))
          .satisfies(e -> assertThat(TlsRefusals.find(e)).hasValueSatisfying(r -> {
            assertThat(r.check()).isEqualTo(Check.PROTOCOL);
            assertThat(r.getMessage()).contains("negotiated TLSv1,").contains("(sqlserver)");
          }));
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void handshake_clientOverridingSuitesAgainstNonAeadServer_refusedWithCipherSuite() {
    Scenario cbc = BadTls.byName("NON_AEAD_ONLY");
    try (TlsTestServer server = TlsTestServer.start(cbc)) {
      assertThatThrownBy(() -> server.handshake(new Overriding(cbc.policy().sslContext("sqlserver"))))
          .satisfies(e -> assertThat(TlsRefusals.find(e)).hasValueSatisfying(r -> {
            assertThat(r.check()).isEqualTo(Check.CIPHER_SUITE);
            assertThat(r.getMessage()).contains("_CBC_");
          }));
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void handshake_clientOverridingParametersAgainstGoodServer_accepted() throws Exception {
    Scenario good = BadTls.byName("GOOD");
    try (TlsTestServer server = TlsTestServer.start(good)) {
      SSLSession session = server.handshake(new Overriding(good.policy().sslContext("sqlserver")));
      assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }
  }

  /** Like a library that sets its own versions and suites on the sockets it creates. */
  private static final class Overriding extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    Overriding(SSLContext context) {
      this.delegate = context.getSocketFactory();
    }

    private Socket everything(Socket s) {
      SSLSocket ssl = (SSLSocket) s;
      ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"});
      ssl.setEnabledCipherSuites(ssl.getSupportedCipherSuites());
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
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      return everything(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return everything(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
      return everything(delegate.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return everything(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
      return everything(delegate.createSocket(host, port, local, localPort));
    }
  }
}
