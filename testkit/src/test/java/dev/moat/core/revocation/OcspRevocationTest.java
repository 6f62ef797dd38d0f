package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.accepted;
import static dev.moat.core.revocation.Handshakes.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.OcspResponder.Signer;
import dev.moat.testkit.TlsTestServer;
import org.junit.jupiter.api.Test;

/** OCSP from the leaf's authorityInfoAccess, against testkit's real responder. */
class OcspRevocationTest extends ResponderFixture {

  @Test
  void ocsp_good_accepted() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail());
      accepted(policy, server);
      assertThat(ocsp.requests()).isEqualTo(1);
      assertThat(policy.revocationChecker().networkRequests()).isEqualTo(1);
      assertThat(events.last()).contains("GOOD via OCSP").contains(ocsp.url());
    }
  }

  @Test
  void ocsp_revoked_refusedInSoftFail() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.softFail()), server, Check.REVOKED);
      assertThat(refusal.getMessage()).contains(ocsp.url()).contains("keyCompromise");
      assertThat(events.last()).contains("REVOKED via OCSP");
    }
  }

  @Test
  void ocsp_unknown_acceptedAndReportedInSoftFail() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.UNKNOWN))) {
      accepted(policy(Revocation.softFail()), server);
      assertThat(events.reported(Check.REVOCATION_UNKNOWN)).hasSize(1);
      assertThat(events.last()).contains("UNKNOWN via OCSP").contains("does not know");
    }
  }

  @Test
  void ocsp_unknown_refusedInHardFail() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.UNKNOWN))) {
      refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
    }
  }

  @Test
  void ocsp_revocationOff_noRequest() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      accepted(policy(Revocation.off()), server);
      assertThat(ocsp.requests()).isZero();
    }
  }

  @Test
  void ocsp_perHostRule_overridesGlobal() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.UNKNOWN))) {
      TlsPolicy policy = TlsPolicy.builder().trustRoot(PKI.root())
          .revocation(Revocation.softFail())
          .revocation("localhost", Revocation.hardFail())
          .build();
      refusedWith(policy, server, Check.REVOCATION_UNKNOWN);
    }
  }

  @Test
  void ocsp_wrongSigner_unknownRefusedInHardFail() throws Exception {
    ocsp.signer(Signer.UNRELATED);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("signed neither by the issuer");
    }
  }

  @Test
  void ocsp_wrongSignerSaysRevoked_notBelievedInSoftFail() throws Exception {
    ocsp.signer(Signer.UNRELATED);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      accepted(policy(Revocation.softFail()), server);
      assertThat(events.last()).startsWith("").contains("UNKNOWN via OCSP");
    }
  }

  @Test
  void ocsp_delegatedResponderWithEku_revokedRefused() throws Exception {
    ocsp.signer(Signer.DELEGATED);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      refusedWith(policy(Revocation.softFail()), server, Check.REVOKED);
    }
  }

  @Test
  void ocsp_delegatedResponderWithEku_goodAccepted() throws Exception {
    ocsp.signer(Signer.DELEGATED);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      accepted(policy(Revocation.hardFail()), server);
      assertThat(events.last()).contains("GOOD via OCSP");
    }
  }

  @Test
  void ocsp_delegatedResponderWithoutEku_rejected() throws Exception {
    ocsp.signer(Signer.DELEGATED_WITHOUT_EKU);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("lacks the OCSPSigning EKU");
    }
  }

  @Test
  void ocsp_staleResponse_rejected() throws Exception {
    ocsp.stale(true);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("stale response");
    }
  }

  @Test
  void ocsp_staleRevokedResponse_softFailAccepts() throws Exception {
    ocsp.stale(true);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      accepted(policy(Revocation.softFail()), server);
      assertThat(events.last()).contains("UNKNOWN").contains("stale response");
    }
  }

  @Test
  void ocsp_garbageResponse_unknown() throws Exception {
    ocsp.garbage(true);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("garbage response");
      ocsp.resetRequests();
      accepted(policy(Revocation.softFail()), server);
      assertThat(ocsp.requests()).isEqualTo(1);
    }
  }

  @Test
  void ocsp_nonce_echoedAndAccepted() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      accepted(policy(Revocation.hardFail().nonce(true)), server);
      assertThat(events.last()).contains("GOOD via OCSP");
    }
  }

  @Test
  void ocsp_wholeChain_intermediateWithoutResponderUnknownInHardFail() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      refusedWith(policy(Revocation.hardFail().depth(Revocation.Depth.WHOLE_CHAIN)), server,
          Check.REVOCATION_UNKNOWN);
      assertThat(events.revocation()).hasSize(2);
    }
  }
}
