package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.accepted;
import static dev.moat.core.revocation.Handshakes.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.TlsTestServer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OCSP responses stapled to the handshake (JDK server-side stapling in {@link TlsTestServer}, which
 * fetches from the leaf's responder). The policy's own checker making zero requests proves the
 * staple decided. TLS 1.2 (CertificateStatus message) and TLS 1.3 (CertificateEntry extension).
 */
class StapledOcspRevocationTest extends ResponderFixture {

  private static TlsTestServer stapling(Credentials leaf, String protocol) {
    return TlsTestServer.builder().credentials(leaf).protocols(protocol).ocspStapling(true).start();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void staple_good_acceptedWithoutAnyClientRequest(String protocol) throws Exception {
    try (TlsTestServer server = stapling(ocsp.leaf(CertStatus.GOOD), protocol)) {
      TlsPolicy policy = policy(Revocation.hardFail());
      SSLSession session = accepted(policy, server);
      assertThat(session.getProtocol()).isEqualTo(protocol);
      assertThat(((ExtendedSSLSession) session).getStatusResponses())
          .as("one response per certificate of the chain (TLS 1.2 sends an empty one for the CA)")
          .isNotEmpty()
          .first()
          .satisfies(der -> assertThat(der).isNotEmpty());
      assertThat(policy.revocationChecker().networkRequests()).isZero();
      assertThat(ocsp.requests()).as("the server's own fetch").isEqualTo(1);
      assertThat(events.last()).contains("GOOD via stapled OCSP");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void staple_revoked_refused(String protocol) throws Exception {
    try (TlsTestServer server = stapling(ocsp.leaf(CertStatus.REVOKED), protocol)) {
      TlsPolicy policy = policy(Revocation.softFail());
      TlsRefusalException refusal = refusedWith(policy, server, Check.REVOKED);
      assertThat(refusal.getMessage()).contains("stapled");
      assertThat(policy.revocationChecker().networkRequests()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void staple_unknown_fallsBackToOcspThenSoftAcceptsHardRefuses(String protocol) throws Exception {
    try (TlsTestServer server = stapling(ocsp.leaf(CertStatus.UNKNOWN), protocol)) {
      TlsPolicy soft = policy(Revocation.softFail());
      accepted(soft, server);
      assertThat(soft.revocationChecker().networkRequests())
          .as("an unknown staple is not definite: the client asks the responder itself")
          .isEqualTo(1);
      assertThat(events.reported(Check.REVOCATION_UNKNOWN)).hasSize(1);
      refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void mustStaple_withoutStaple_refusedEvenInSoftFail(String protocol) throws Exception {
    Credentials leaf = ocsp.leafBuilder().mustStaple().build();
    ocsp.good(leaf.certificate());
    try (TlsTestServer server = TlsTestServer.builder().credentials(leaf).protocols(protocol).start()) {
      TlsPolicy policy = policy(Revocation.softFail());
      TlsRefusalException refusal = refusedWith(policy, server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("must-staple");
      assertThat(ocsp.requests()).as("no fetch for a certificate that is refused anyway").isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void mustStaple_withGoodStaple_accepted(String protocol) throws Exception {
    Credentials leaf = ocsp.leafBuilder().mustStaple().build();
    ocsp.good(leaf.certificate());
    try (TlsTestServer server = stapling(leaf, protocol)) {
      accepted(policy(Revocation.hardFail()), server);
      assertThat(events.last()).contains("GOOD via stapled OCSP");
    }
  }
}
