package dev.moat.core.internal.revocation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One revocation answer for one certificate.
 *
 * @param state good, revoked or unknown
 * @param source where it came from (stapled, OCSP, CRL), plus whether from the cache
 * @param location the responder or CRL URL, or {@code stapled}
 * @param detail a short human explanation (why unknown, revocation reason...)
 * @param validUntil until when it may be reused (cache), or null when it must not be
 */
public record Status(State state, String source, String location, String detail, @Nullable Instant validUntil) {
  public enum State {
    GOOD,
    REVOKED,
    UNKNOWN
  }

  static Status unknown(String source, String location, String detail) {
    return new Status(State.UNKNOWN, source, location, detail, null);
  }

  Status fromCache() {
    return new Status(state, source + " (cached)", location, detail, validUntil);
  }

  boolean definite() {
    return state != State.UNKNOWN;
  }
}
