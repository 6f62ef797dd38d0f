package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import dev.moat.core.internal.ConfiguringSocketFactory;
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
  void sslContext_serverSocket_speaksOnlyThePolicyVersionsAndSuites() throws Exception {
    TlsPolicy policy = BadTls.byName("GOOD").policy();
    try (javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket)
        policy.sslContext("mtls-server").getServerSocketFactory().createServerSocket()) {
      assertThat(server.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
      assertThat(server.getEnabledCipherSuites()).containsExactlyElementsOf(policy.cipherSuites());
    }
  }

  @Test
  void handshake_clientOverridingVersionsAgainstTls10Server_refusedWithProtocol() {
    Scenario tls10 = BadTls.byName("TLS_1_0_ONLY");
    try (TlsTestServer server = TlsTestServer.start(tls10)) {
      assertThatThrownBy(() -> server.handshake(overriding(tls10.policy().sslContext("sqlserver"))))
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
      assertThatThrownBy(() -> server.handshake(overriding(cbc.policy().sslContext("sqlserver"))))
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
      SSLSession session = server.handshake(overriding(good.policy().sslContext("sqlserver")));
      assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }
  }

  /** Like a library that sets its own versions and suites on the sockets it creates. */
  private static SSLSocketFactory overriding(SSLContext context) {
    return new ConfiguringSocketFactory(
        context.getSocketFactory(),
        ssl -> {
          ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"});
          ssl.setEnabledCipherSuites(ssl.getSupportedCipherSuites());
        });
  }
}
