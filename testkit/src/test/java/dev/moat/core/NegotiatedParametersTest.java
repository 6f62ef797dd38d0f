package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.BadTls;
import dev.moat.testkit.Scenario;
import dev.moat.testkit.TlsTestServer;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * A client that takes only the policy's SSLContext (not its socket factory or SSLParameters) speaks
 * the JVM's default versions and suites. The trust manager still refuses what the policy forbids,
 * before any application byte. (testkit re-enables TLS 1.0/1.1 in the test JVM, so these defaults
 * really offer them here.)
 */
class NegotiatedParametersTest {

  @Test
  void handshake_contextOnlyClientAgainstTls10Server_refusedWithProtocol() {
    Scenario tls10 = BadTls.byName("TLS_1_0_ONLY");
    try (TlsTestServer server = TlsTestServer.start(tls10)) {
      assertThatThrownBy(() -> server.handshake(tls10.policy().sslContext("sqlserver").getSocketFactory()))
          .satisfies(e -> assertThat(TlsRefusals.find(e)).hasValueSatisfying(r -> {
            assertThat(r.check()).isEqualTo(Check.PROTOCOL);
            assertThat(r.getMessage()).contains("negotiated TLSv1,").contains("(sqlserver)");
          }));
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void handshake_contextOnlyClientAgainstNonAeadServer_refusedWithCipherSuite() {
    Scenario cbc = BadTls.byName("NON_AEAD_ONLY");
    try (TlsTestServer server = TlsTestServer.start(cbc)) {
      assertThatThrownBy(() -> server.handshake(cbc.policy().sslContext("sqlserver").getSocketFactory()))
          .satisfies(e -> assertThat(TlsRefusals.find(e)).hasValueSatisfying(r -> {
            assertThat(r.check()).isEqualTo(Check.CIPHER_SUITE);
            assertThat(r.getMessage()).contains("_CBC_");
          }));
      assertThat(server.completedHandshakes()).isZero();
    }
  }

  @Test
  void handshake_contextOnlyClientAgainstGoodServer_accepted() throws Exception {
    Scenario good = BadTls.byName("GOOD");
    try (TlsTestServer server = TlsTestServer.start(good)) {
      SSLSession session = server.handshake(good.policy().sslContext("sqlserver").getSocketFactory());
      assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }
  }
}
