package dev.moat.core.revocation;

import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh OCSP responder per test over the shared PKI, and policies whose events are recorded. */
abstract class ResponderFixture {
  static final TestPki PKI = TestPki.shared();

  OcspResponder ocsp;
  final Handshakes.Events events = new Handshakes.Events();

  @BeforeEach
  void startResponder() {
    ocsp = OcspResponder.start(PKI);
  }

  @AfterEach
  void stopResponder() {
    ocsp.close();
  }

  /** A policy trusting the shared root, with these revocation settings, reporting to {@link #events}. */
  TlsPolicy policy(Revocation revocation) {
    return TlsPolicy.builder().trustRoot(PKI.root()).revocation(revocation).listener(events).build();
  }
}
