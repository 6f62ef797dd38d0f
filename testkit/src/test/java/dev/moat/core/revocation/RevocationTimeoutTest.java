package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.accepted;
import static dev.moat.core.revocation.Handshakes.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.TlsTestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A responder that is down (closed port) or slow: the handshake ends within the policy's timeouts
 * plus a small margin, accepted in soft-fail and refused in hard-fail.
 */
class RevocationTimeoutTest extends ResponderFixture {
  private static final Duration CONNECT = Duration.ofMillis(500);
  private static final Duration READ = Duration.ofMillis(700);
  /** Handshake, server thread start-up and a busy CI machine. */
  private static final Duration MARGIN = Duration.ofMillis(1500);
  private static final Duration LIMIT = CONNECT.plus(READ).plus(MARGIN);
  /** Much longer than READ: a client that waited for it would blow LIMIT. */
  private static final Duration SLOW = Duration.ofSeconds(6);

  @Override
  TlsPolicy policy(Revocation revocation) {
    return super.policy(revocation.timeouts(CONNECT, READ));
  }

  /** Runs the handshake under a hard bound and returns how long it took. */
  private static Duration timed(Runnable handshake) {
    return assertTimeoutPreemptively(LIMIT.plus(Duration.ofSeconds(3)), () -> {
      long start = System.nanoTime();
      handshake.run();
      return Duration.ofNanos(System.nanoTime() - start);
    });
  }

  @Test
  void responderDown_softFail_acceptedQuickly() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      ocsp.stop();
      TlsPolicy policy = policy(Revocation.softFail());
      Duration took = timed(() -> accepted(policy, server));
      assertThat(took).isLessThan(LIMIT);
      assertThat(events.last()).contains("UNKNOWN via OCSP").contains("unreachable");
      assertThat(events.reported(Check.REVOCATION_UNKNOWN)).hasSize(1);
    }
  }

  @Test
  void responderDown_hardFail_refusedQuickly() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      ocsp.stop();
      TlsPolicy policy = policy(Revocation.hardFail());
      Duration took = timed(() -> refusedWith(policy, server, Check.REVOCATION_UNKNOWN));
      assertThat(took).isLessThan(LIMIT);
    }
  }

  @Test
  void responderSlow_softFail_acceptedWithinTimeout() throws Exception {
    ocsp.delay(SLOW);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      TlsPolicy policy = policy(Revocation.softFail());
      Duration took = timed(() -> accepted(policy, server));
      assertThat(took).isGreaterThanOrEqualTo(READ).isLessThan(LIMIT);
      assertThat(ocsp.requests()).isEqualTo(1);
      assertThat(events.last()).contains("UNKNOWN via OCSP").containsIgnoringCase("timed out");
    }
  }

  @Test
  void responderSlow_hardFail_refusedWithinTimeout() throws Exception {
    ocsp.delay(SLOW);
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail());
      Duration took = timed(() -> {
        TlsRefusalException refusal = refusedWith(policy, server, Check.REVOCATION_UNKNOWN);
        assertThat(refusal.getMessage()).containsIgnoringCase("timed out");
      });
      assertThat(took).isGreaterThanOrEqualTo(READ).isLessThan(LIMIT);
    }
  }
}
