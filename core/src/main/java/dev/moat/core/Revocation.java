package dev.moat.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a policy checks revocation: the mode, which certificates, and the bounds on fetching.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .revocation(Revocation.hardFail().depth(Revocation.Depth.WHOLE_CHAIN))
 *     .revocation("legacy.example.com", Revocation.off())
 *     .build();
 * }</pre>
 *
 * <p>Sources, in order: an OCSP response stapled to the handshake; a cached response; OCSP from
 * the certificate's authorityInfoAccess; a CRL from its cRLDistributionPoints (http only). A
 * certificate that demands stapling (the TLS feature extension, RFC 7633 "must-staple") and comes
 * without a stapled response is refused in every mode but {@link RevocationMode#OFF}. Responses
 * are cached until their nextUpdate (at most {@link #maxCacheAge()}), shared by every connection
 * of the policy; concurrent handshakes needing the same response make one request.
 *
 * <p><b>Stapling</b>: the JDK 17 client asks for a stapled response (the status_request
 * extension) by default, in TLS 1.2 and 1.3; Moat reads it from the handshake session. Leave the
 * system property {@code jdk.tls.client.enableStatusRequestExtension} unset (or {@code true}):
 * set to {@code false}, no server can staple, every connection costs an OCSP or CRL request, and
 * every must-staple certificate is refused. A Java <em>server</em> staples only when started with
 * {@code -Djdk.tls.server.enableStatusRequestExtension=true} (read when its {@code SSLContext} is
 * created; it then fetches from the leaf's OCSP URL itself). TLS session resumption skips
 * certificate checks, revocation included, for the session's lifetime.
 *
 * <p><b>Security</b>: {@link #softFail()} (the default) accepts a connection whose status cannot
 * be established, so an attacker who can block the responder defeats it; {@link #hardFail()}
 * refuses instead, at the price of availability when the responder is down. {@link #off()} does
 * not notice revoked certificates at all.
 */
public final class Revocation {
  /** Which certificates of the path are checked. */
  public enum Depth {
    /** Only the peer's certificate. */
    LEAF_ONLY,
    /** Every certificate below the trust anchor. */
    WHOLE_CHAIN
  }

  private static final Revocation SOFT = new Revocation(RevocationMode.SOFT_FAIL, Depth.LEAF_ONLY,
      Duration.ofSeconds(3), Duration.ofSeconds(3), 256 * 1024, Duration.ofDays(1),
      Duration.ofMinutes(5), false, 1024);

  private final RevocationMode mode;
  private final Depth depth;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxResponseBytes;
  private final Duration maxCacheAge;
  private final Duration clockSkew;
  private final boolean nonce;
  private final int maxCacheEntries;

  private Revocation(RevocationMode mode, Depth depth, Duration connectTimeout, Duration readTimeout,
      int maxResponseBytes, Duration maxCacheAge, Duration clockSkew, boolean nonce, int maxCacheEntries) {
    this.mode = mode;
    this.depth = depth;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxResponseBytes = maxResponseBytes;
    this.maxCacheAge = maxCacheAge;
    this.clockSkew = clockSkew;
    this.nonce = nonce;
    this.maxCacheEntries = maxCacheEntries;
  }

  /** No revocation checking. */
  public static Revocation off() {
    return SOFT.mode(RevocationMode.OFF);
  }

  /** Refuse a definite "revoked"; accept and report an unknown status. The default. */
  public static Revocation softFail() {
    return SOFT;
  }

  /** Refuse anything but a verified "good". */
  public static Revocation hardFail() {
    return SOFT.mode(RevocationMode.HARD_FAIL);
  }

  public Revocation mode(RevocationMode mode) {
    return new Revocation(Objects.requireNonNull(mode, "mode"), depth, connectTimeout, readTimeout,
        maxResponseBytes, maxCacheAge, clockSkew, nonce, maxCacheEntries);
  }

  public Revocation depth(Depth depth) {
    return new Revocation(mode, Objects.requireNonNull(depth, "depth"), connectTimeout, readTimeout,
        maxResponseBytes, maxCacheAge, clockSkew, nonce, maxCacheEntries);
  }

  /** Connect and read timeouts of each OCSP or CRL request (default 3 s each). */
  public Revocation timeouts(Duration connect, Duration read) {
    return new Revocation(mode, depth, positive(connect, "connect timeout"), positive(read, "read timeout"),
        maxResponseBytes, maxCacheAge, clockSkew, nonce, maxCacheEntries);
  }

  /** The largest OCSP response or CRL read (default 256 KiB); a larger one counts as unknown. */
  public Revocation maxResponseBytes(int bytes) {
    if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("maxResponseBytes " + bytes + " is out of range; use 1 KiB to 64 MiB");
    }
    return new Revocation(mode, depth, connectTimeout, readTimeout, bytes, maxCacheAge, clockSkew, nonce,
        maxCacheEntries);
  }

  /** The longest a response is cached even when its nextUpdate is later (default 1 day). */
  public Revocation maxCacheAge(Duration age) {
    return new Revocation(mode, depth, connectTimeout, readTimeout, maxResponseBytes,
        positive(age, "maxCacheAge"), clockSkew, nonce, maxCacheEntries);
  }

  /** How far thisUpdate may lie in the future and nextUpdate in the past (default 5 minutes). */
  public Revocation clockSkew(Duration skew) {
    Objects.requireNonNull(skew, "clockSkew");
    if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("clockSkew " + skew + " is out of range; use 0 to 1 hour");
    }
    return new Revocation(mode, depth, connectTimeout, readTimeout, maxResponseBytes, maxCacheAge, skew,
        nonce, maxCacheEntries);
  }

  /** Sends a nonce in OCSP requests and requires the response to echo it (defeats replay; disables caching). */
  public Revocation nonce(boolean nonce) {
    return new Revocation(mode, depth, connectTimeout, readTimeout, maxResponseBytes, maxCacheAge, clockSkew,
        nonce, maxCacheEntries);
  }

  /** How many responses the cache keeps (default 1024). */
  public Revocation maxCacheEntries(int entries) {
    if (entries < 1 || entries > 1_000_000) {
      throw new IllegalArgumentException("maxCacheEntries " + entries + " is out of range; use 1 to 1000000");
    }
    return new Revocation(mode, depth, connectTimeout, readTimeout, maxResponseBytes, maxCacheAge, clockSkew,
        nonce, entries);
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0 && !what.equals("maxCacheAge")) {
      throw new IllegalArgumentException(what + " " + d + " is out of range; use more than 0 and at most 5 minutes");
    }
    return d;
  }

  public RevocationMode mode() {
    return mode;
  }

  public Depth depth() {
    return depth;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  public Duration maxCacheAge() {
    return maxCacheAge;
  }

  public Duration clockSkew() {
    return clockSkew;
  }

  public boolean nonce() {
    return nonce;
  }

  public int maxCacheEntries() {
    return maxCacheEntries;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Revocation)) {
      return false;
    }
    Revocation r = (Revocation) o;
    return mode == r.mode && depth == r.depth && connectTimeout.equals(r.connectTimeout)
        && readTimeout.equals(r.readTimeout) && maxResponseBytes == r.maxResponseBytes
        && maxCacheAge.equals(r.maxCacheAge) && clockSkew.equals(r.clockSkew) && nonce == r.nonce
        && maxCacheEntries == r.maxCacheEntries;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, depth, connectTimeout, readTimeout, maxResponseBytes, maxCacheAge, clockSkew,
        nonce, maxCacheEntries);
  }

  @Override
  public String toString() {
    if (mode == RevocationMode.OFF) {
      return "Revocation[OFF]";
    }
    return "Revocation[" + mode + ", " + depth + ", timeouts " + connectTimeout.toMillis() + "/"
        + readTimeout.toMillis() + " ms, max " + maxResponseBytes + " bytes, cache " + maxCacheEntries
        + " for <= " + maxCacheAge + (nonce ? ", nonce" : "") + "]";
  }
}
