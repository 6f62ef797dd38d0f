package dev.moat.core.revocation;

import static dev.moat.core.revocation.Handshakes.accepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy's shared cache: a second handshake makes no request, an expired entry is fetched
 * again, concurrent handshakes make one fetch. Every handshake uses a fresh protocol name (a fresh
 * SSLContext), so TLS session resumption never skips the trust manager.
 */
class RevocationCacheTest {
  private static final TestPki PKI = TestPki.shared();

  private OcspResponder ocsp;
  private final Handshakes.Events events = new Handshakes.Events();
  private final Handshakes.MutableClock clock = new Handshakes.MutableClock();

  @BeforeEach
  void start() {
    ocsp = OcspResponder.start(PKI).clock(clock).validity(Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    ocsp.close();
  }

  private TlsPolicy policy(Revocation revocation) {
    return TlsPolicy.builder().trustRoot(PKI.root()).revocation(revocation).clock(clock)
        .listener(events).build();
  }

  @Test
  void cache_secondHandshake_makesNoRequest() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail());
      accepted(policy, server);
      assertThat(ocsp.requests()).isEqualTo(1);
      accepted(policy, server);
      accepted(policy, server);
      assertThat(server.completedHandshakes()).isEqualTo(3);
      assertThat(ocsp.requests()).isEqualTo(1);
      assertThat(policy.revocationChecker().networkRequests()).isEqualTo(1);
      assertThat(events.revocation()).hasSize(3);
      assertThat(events.last()).contains("GOOD via OCSP (cached)");
    }
  }

  @Test
  void cache_revokedAnswer_alsoCached() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.REVOKED))) {
      TlsPolicy policy = policy(Revocation.softFail());
      Handshakes.refusedWith(policy, server, dev.moat.core.Check.REVOKED);
      Handshakes.refusedWith(policy, server, dev.moat.core.Check.REVOKED);
      assertThat(ocsp.requests()).isEqualTo(1);
    }
  }

  @Test
  void cache_unknownAnswer_notCached() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.UNKNOWN))) {
      TlsPolicy policy = policy(Revocation.softFail());
      accepted(policy, server);
      accepted(policy, server);
      assertThat(ocsp.requests()).isEqualTo(2);
    }
  }

  @Test
  void cache_afterNextUpdate_fetchesAgain() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail());
      accepted(policy, server);
      clock.advance(Duration.ofMinutes(30));
      accepted(policy, server);
      assertThat(ocsp.requests()).as("within nextUpdate").isEqualTo(1);
      clock.advance(Duration.ofMinutes(31));
      accepted(policy, server);
      assertThat(ocsp.requests()).as("past nextUpdate").isEqualTo(2);
      assertThat(events.last()).contains("GOOD via OCSP").doesNotContain("cached");
    }
  }

  @Test
  void cache_maxCacheAge_capsNextUpdate() throws Exception {
    ocsp.validity(Duration.ofDays(3));
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail().maxCacheAge(Duration.ofMinutes(10)));
      accepted(policy, server);
      clock.advance(Duration.ofMinutes(11));
      accepted(policy, server);
      assertThat(ocsp.requests()).isEqualTo(2);
    }
  }

  @Test
  void cache_separatePolicies_doNotShare() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      accepted(policy(Revocation.hardFail()), server);
      accepted(policy(Revocation.hardFail()), server);
      assertThat(ocsp.requests()).isEqualTo(2);
    }
  }

  @Test
  void concurrentHandshakes_oneHost_oneFetch() throws Exception {
    int threads = 6;
    ocsp.delay(Duration.ofMillis(1500));
    try (TlsTestServer server = TlsTestServer.start(ocsp.leaf(CertStatus.GOOD))) {
      TlsPolicy policy = policy(Revocation.hardFail());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SSLSession>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(pool.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            return accepted(policy, server);
          }));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
          go.countDown();
          for (Future<SSLSession> f : results) {
            assertThat(f.get(15, TimeUnit.SECONDS).getProtocol()).startsWith("TLS");
          }
        });
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(server.completedHandshakes()).isEqualTo(threads);
      assertThat(ocsp.requests()).as("one fetch shared by %s concurrent handshakes", threads).isEqualTo(1);
      assertThat(policy.revocationChecker().networkRequests()).isEqualTo(1);
      assertThat(events.revocation()).hasSize(threads).allSatisfy(m -> assertThat(m).contains("GOOD"));
    }
  }
}
