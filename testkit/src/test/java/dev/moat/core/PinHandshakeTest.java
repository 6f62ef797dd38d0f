package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Pins over real loopback handshakes: any certificate of the built path matches, nothing else does. */
class PinHandshakeTest {
  static final TestPki PKI = TestPki.create("localhost");
  static final String SPARE = TestPki.unrelatedPins(1).get(0).toString();

  static TlsPolicy.Builder base() {
    return TlsPolicy.builder().trustRoot(PKI.root());
  }

  static TlsRefusalException refusal(TlsTestServer server, TlsPolicy policy) {
    Throwable t = catchThrowable(() -> server.handshake(policy.sslSocketFactory("tls")));
    return TlsRefusals.find(t).orElseThrow(() -> new AssertionError("no Moat refusal", t));
  }

  @Test
  void pinOfLeafIntermediateOrRoot_eachPasses() throws Exception {
    try (TlsTestServer server = TlsTestServer.start(PKI.goodChain())) {
      for (var pinned : List.of(PKI.leaf(), PKI.intermediate(), PKI.root())) {
        TlsPolicy policy = base().pin("localhost", Pin.of(pinned).toString(), SPARE).build();
        assertThat(server.handshake(policy.sslSocketFactory("tls")).getProtocol()).startsWith("TLS");
      }
    }
  }

  @Test
  void pinOfAnUnrelatedCertificateTheServerAppended_refused() throws Exception {
    Credentials stranger = PKI.caBuilder().subject("CN=Appended Stranger").selfSigned().build();
    List<java.security.cert.X509Certificate> chain = new ArrayList<>(PKI.serverChain());
    chain.add(stranger.certificate());
    try (TlsTestServer server = TlsTestServer.start(new Credentials(PKI.leafKey(), chain))) {
      TlsPolicy policy = base().pin("localhost", Pin.of(stranger.certificate()).toString(), SPARE).build();
      TlsRefusalException e = refusal(server, policy);
      assertThat(e.check()).isEqualTo(Check.PIN);
      assertThat(e.getMessage()).contains(Pin.of(PKI.leaf()).toString());
      // the same appended certificate does not stop the real pin from matching
      TlsPolicy good = base().pin("localhost", Pin.of(PKI.intermediate()).toString(), SPARE).build();
      assertThat(server.handshake(good.sslSocketFactory("tls"))).isNotNull();
    }
  }

  @Test
  void reportOnlyMismatch_connectsAndReports() throws Exception {
    List<TlsEvent> events = new CopyOnWriteArrayList<>();
    TlsPolicy policy = base().listener(events::add)
        .pin("localhost", PinSet.of(TestPki.unrelatedPins(2)).reportOnly()).build();
    try (TlsTestServer server = TlsTestServer.start(PKI.goodChain())) {
      assertThat(server.handshake(policy.sslSocketFactory("tls"))).isNotNull();
    }
    assertThat(events).anySatisfy(e -> {
      assertThat(e.kind()).isEqualTo(TlsEvent.Kind.REPORTED);
      assertThat(e.check()).isEqualTo(Check.PIN);
    });
    assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(TlsEvent.Kind.ACCEPTED));
  }

  @Test
  void expiredPinSet_failClosed_refusedWithPinSetExpired() throws Exception {
    Instant expiry = PKI.created().plus(Duration.ofDays(5));
    TlsPolicy policy = base().clock(Clock.fixed(expiry.plus(Duration.ofDays(1)), ZoneOffset.UTC))
        .pin("localhost", PinSet.of(List.of(Pin.of(PKI.leaf()), Pin.parse(SPARE)))
            .expiresAt(expiry, PinSet.OnExpiry.FAIL_CLOSED)).build();
    try (TlsTestServer server = TlsTestServer.start(PKI.goodChain())) {
      TlsRefusalException e = refusal(server, policy);
      assertThat(e.check()).isEqualTo(Check.PIN_SET_EXPIRED);
      assertThat(e.reason()).contains("expired on " + expiry);
    }
  }

  @Test
  void expiredPinSet_stopEnforcing_connectsAndReports() throws Exception {
    Instant expiry = PKI.created().plus(Duration.ofDays(5));
    List<TlsEvent> events = new CopyOnWriteArrayList<>();
    TlsPolicy policy = base().listener(events::add)
        .clock(Clock.fixed(expiry.plus(Duration.ofDays(1)), ZoneOffset.UTC))
        .pin("localhost", PinSet.of(TestPki.unrelatedPins(2)).expiresAt(expiry, PinSet.OnExpiry.STOP_ENFORCING))
        .build();
    try (TlsTestServer server = TlsTestServer.start(PKI.goodChain())) {
      assertThat(server.handshake(policy.sslSocketFactory("tls"))).isNotNull();
    }
    assertThat(events).anySatisfy(e -> assertThat(e.check()).isEqualTo(Check.PIN_SET_EXPIRED));
  }

  @Test
  void pinSetBeforeExpiry_stillEnforcedAndWarnsAhead() throws Exception {
    Instant expiry = PKI.created().plus(Duration.ofDays(20));
    List<TlsEvent> events = new CopyOnWriteArrayList<>();
    TlsPolicy policy = base().listener(events::add)
        .clock(Clock.fixed(PKI.created().plus(Duration.ofDays(1)), ZoneOffset.UTC))
        .pin("localhost", PinSet.of(TestPki.unrelatedPins(2)).expiresAt(expiry, PinSet.OnExpiry.STOP_ENFORCING))
        .build();
    try (TlsTestServer server = TlsTestServer.start(PKI.goodChain())) {
      assertThat(refusal(server, policy).check()).isEqualTo(Check.PIN);
    }
    assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(TlsEvent.Kind.PIN_SET_EXPIRING));
  }
}
