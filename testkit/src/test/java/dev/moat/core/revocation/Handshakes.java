package dev.moat.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.moat.core.Check;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsListener;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import dev.moat.testkit.TlsTestServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSession;

/** Real handshakes through {@code policy.sslSocketFactory(protocol)} and what the policy reported. */
final class Handshakes {
  private static final AtomicInteger PROTOCOLS = new AtomicInteger();

  private Handshakes() {}

  /**
   * A protocol name never used before: a fresh {@code SSLContext} of the policy, so no TLS session
   * is resumed and the trust manager (with its revocation step) runs.
   */
  static String freshProtocol() {
    return "revocation-test-" + PROTOCOLS.incrementAndGet();
  }

  /** Handshakes and echoes; fails the test if the handshake is refused. */
  static SSLSession accepted(TlsPolicy policy, TlsTestServer server) {
    try {
      return server.handshake(policy.sslSocketFactory(freshProtocol()));
    } catch (IOException e) {
      throw new AssertionError("expected the handshake to be accepted, got " + e
          + TlsRefusals.find(e).map(r -> " / " + r.getMessage()).orElse(""), e);
    }
  }

  /** Handshakes expecting a Moat refusal, and returns it. */
  static TlsRefusalException refused(TlsPolicy policy, TlsTestServer server) {
    try {
      server.handshake(policy.sslSocketFactory(freshProtocol()));
    } catch (IOException e) {
      return TlsRefusals.find(e).orElseThrow(() -> new AssertionError("not a Moat refusal: " + e, e));
    }
    return fail("expected a refusal, but the handshake was accepted");
  }

  /** Asserts a refusal with this check and returns it. */
  static TlsRefusalException refusedWith(TlsPolicy policy, TlsTestServer server, Check check) {
    TlsRefusalException refusal = refused(policy, server);
    assertThat(refusal.check()).as("refusal %s", refusal.getMessage()).isEqualTo(check);
    return refusal;
  }

  /** Records a policy's REVOCATION_STATUS and REPORTED events. */
  static final class Events implements TlsListener {
    private final List<TlsEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(TlsEvent event) {
      events.add(event);
    }

    List<String> revocation() {
      return events.stream()
          .filter(e -> e.kind() == TlsEvent.Kind.REVOCATION_STATUS)
          .map(TlsEvent::message)
          .collect(Collectors.toList());
    }

    List<TlsEvent> reported(Check check) {
      return events.stream()
          .filter(e -> e.kind() == TlsEvent.Kind.REPORTED && e.check() == check)
          .collect(Collectors.toList());
    }

    String last() {
      List<String> r = revocation();
      return r.isEmpty() ? "" : r.get(r.size() - 1);
    }

    void clear() {
      events.clear();
    }
  }

  /** A clock tests move forward; share it between the policy and the responder. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
