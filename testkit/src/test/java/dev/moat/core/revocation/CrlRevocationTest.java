package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.accepted;
import static dev.moat.core.revocation.Handshakes.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.CrlServer;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CRLs from the leaf's cRLDistributionPoints, served by testkit's CRL endpoint. */
class CrlRevocationTest {
  private static final TestPki PKI = TestPki.shared();

  private CrlServer crl;
  private final Handshakes.Events events = new Handshakes.Events();

  @BeforeEach
  void start() {
    crl = CrlServer.start(PKI);
  }

  @AfterEach
  void stop() {
    crl.close();
  }

  private TlsPolicy policy(Revocation revocation) {
    return TlsPolicy.builder().trustRoot(PKI.root()).revocation(revocation).listener(events).build();
  }

  private Credentials leaf() {
    return PKI.leafBuilder().crlDistributionPoint(crl.url()).build();
  }

  @Test
  void crl_notListed_goodAccepted() throws Exception {
    crl.revoke(PKI.leafBuilder().build().certificate()); // someone else
    try (TlsTestServer server = TlsTestServer.start(leaf())) {
      TlsPolicy policy = policy(Revocation.hardFail());
      accepted(policy, server);
      assertThat(crl.requests()).isEqualTo(1);
      assertThat(events.last()).contains("GOOD via CRL").contains(crl.url());
    }
  }

  @Test
  void crl_listed_revokedRefused() throws Exception {
    Credentials leaf = leaf();
    crl.revoke(leaf.certificate());
    try (TlsTestServer server = TlsTestServer.start(leaf)) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.softFail()), server, Check.REVOKED);
      assertThat(refusal.getMessage()).contains("CRL").contains(crl.url());
    }
  }

  @Test
  void crl_unreachable_unknownSoftAcceptsHardRefuses() throws Exception {
    crl.stop();
    try (TlsTestServer server = TlsTestServer.start(leaf())) {
      accepted(policy(Revocation.softFail()), server);
      assertThat(events.reported(Check.REVOCATION_UNKNOWN)).hasSize(1);
      assertThat(events.last()).contains("UNKNOWN via CRL").contains("CRL unavailable");
      refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
    }
  }

  @Test
  void crl_stale_unknown() throws Exception {
    crl.stale(true);
    try (TlsTestServer server = TlsTestServer.start(leaf())) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("stale CRL");
    }
  }

  @Test
  void crl_wrongSigner_notBelieved() throws Exception {
    Credentials leaf = leaf();
    crl.revoke(leaf.certificate()).wrongSigner(true);
    try (TlsTestServer server = TlsTestServer.start(leaf)) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("does not verify");
    }
  }

  @Test
  void crl_garbage_unknown() throws Exception {
    crl.garbage(true);
    try (TlsTestServer server = TlsTestServer.start(leaf())) {
      TlsRefusalException refusal = refusedWith(policy(Revocation.hardFail()), server, Check.REVOCATION_UNKNOWN);
      assertThat(refusal.getMessage()).contains("not a CRL");
    }
  }

  @Test
  void ocspUnknown_thenCrl_crlDecides() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(PKI)) {
      Credentials leaf = PKI.leafBuilder().ocsp(ocsp.url()).crlDistributionPoint(crl.url()).build();
      ocsp.status(leaf.certificate(), CertStatus.UNKNOWN);
      crl.revoke(leaf.certificate());
      try (TlsTestServer server = TlsTestServer.start(leaf)) {
        refusedWith(policy(Revocation.softFail()), server, Check.REVOKED);
        assertThat(ocsp.requests()).isEqualTo(1);
        assertThat(crl.requests()).isEqualTo(1);
      }
    }
  }

  @Test
  void ocspGood_crlNotAsked() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(PKI)) {
      Credentials leaf = PKI.leafBuilder().ocsp(ocsp.url()).crlDistributionPoint(crl.url()).build();
      ocsp.good(leaf.certificate());
      try (TlsTestServer server = TlsTestServer.start(leaf)) {
        accepted(policy(Revocation.hardFail()), server);
        assertThat(crl.requests()).isZero();
      }
    }
  }
}
