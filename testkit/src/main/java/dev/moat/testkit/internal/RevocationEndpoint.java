package dev.moat.testkit.internal;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;

/**
 * What testkit's {@code CrlServer} and {@code OcspResponder} share: the loopback HTTP endpoint
 * (delay, request counting, down) and the knobs of the answer they sign (a clock, the validity
 * window, stale, garbage). Each public fixture keeps its own fluent setters and delegates here.
 */
public final class RevocationEndpoint {
  /** thisUpdate and nextUpdate of one answer, and the instant they were computed from. */
  public record Window(Instant now, Instant thisUpdate, Instant nextUpdate) {}

  private final LoopbackHttp http;
  private volatile boolean stale;
  private volatile boolean garbage;
  private volatile Duration validity = Duration.ofHours(1);
  private volatile Clock clock = Clock.systemUTC();

  /** Serves {@code path} on 127.0.0.1 with {@code handler} (see {@link LoopbackHttp}). */
  public RevocationEndpoint(String path, String contentType, Function<LoopbackHttp.Request, byte[]> handler) {
    this.http = new LoopbackHttp(path, contentType, handler);
  }

  public String url() {
    return http.url();
  }

  public void delay(Duration delay) {
    http.delay(Objects.requireNonNull(delay, "delay"));
  }

  public int requests() {
    return http.requests();
  }

  public void resetRequests() {
    http.resetRequests();
  }

  public void stop() {
    http.stop();
  }

  public boolean stopped() {
    return http.stopped();
  }

  public void stale(boolean stale) {
    this.stale = stale;
  }

  public boolean stale() {
    return stale;
  }

  public void garbage(boolean garbage) {
    this.garbage = garbage;
  }

  public boolean garbage() {
    return garbage;
  }

  /** How far nextUpdate lies after thisUpdate; must be positive. */
  public void validity(Duration validity) {
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, not " + validity);
    }
    this.validity = validity;
  }

  public void clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The clock's instant now. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * The window of an answer made now: thisUpdate five seconds ago and nextUpdate one validity
   * later, or, when stale, thisUpdate two days and nextUpdate one day in the past.
   */
  public Window window() {
    Instant now = clock.instant();
    Instant thisUpdate = stale ? now.minus(Duration.ofDays(2)) : now.minusSeconds(5);
    Instant nextUpdate = stale ? now.minus(Duration.ofDays(1)) : thisUpdate.plus(validity);
    return new Window(now, thisUpdate, nextUpdate);
  }

  /** 64 random bytes, to answer instead of a CRL or OCSP response. */
  public static byte[] garbageBytes() {
    byte[] bytes = new byte[64];
    Keys.random().nextBytes(bytes);
    return bytes;
  }

  /** SHA-256 with the key's algorithm: RSA, else ECDSA. */
  public static String signatureAlgorithm(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
  }
}
