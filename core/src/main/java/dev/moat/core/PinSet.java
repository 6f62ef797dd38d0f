package dev.moat.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The pins a host must match: at least one certificate of the validated path must have one of
 * these SPKI pins. A set may expire, and may be report-only while a rollout is checked.
 *
 * <pre>{@code
 * PinSet pins = PinSet.of("sha256/current...=", "sha256/backup...=")
 *     .expiresAt(Instant.parse("2027-06-01T00:00:00Z"), PinSet.OnExpiry.FAIL_CLOSED);
 * }</pre>
 *
 * <p><b>Security</b>: {@link #reportOnly()} does not protect anything; it only tells listeners
 * what enforcement would have refused. {@link OnExpiry#STOP_ENFORCING} turns pinning off at the
 * expiry date without a redeploy, trading protection for availability.
 */
public final class PinSet {
  /** What happens once a pin set's expiry date has passed. */
  public enum OnExpiry {
    /** Refuse every connection to the host ({@link Check#PIN_SET_EXPIRED}) until the pins are renewed. */
    FAIL_CLOSED,
    /** Stop checking these pins (the rest of the pipeline still applies) and report it to listeners. */
    STOP_ENFORCING
  }

  private final Set<Pin> pins;
  private final @Nullable Instant expiresAt;
  private final OnExpiry onExpiry;
  private final boolean reportOnly;

  private PinSet(Set<Pin> pins, @Nullable Instant expiresAt, OnExpiry onExpiry, boolean reportOnly) {
    this.pins = pins;
    this.expiresAt = expiresAt;
    this.onExpiry = onExpiry;
    this.reportOnly = reportOnly;
  }

  /**
   * A pin set from {@code sha256/...} strings, enforced, without expiry.
   *
   * @throws IllegalArgumentException if a pin does not parse or none is given
   */
  public static PinSet of(String... pins) {
    Objects.requireNonNull(pins, "pins");
    List<Pin> parsed = new ArrayList<>(pins.length);
    for (String p : pins) {
      parsed.add(Pin.parse(Objects.requireNonNull(p, "pin")));
    }
    return of(parsed);
  }

  /** A pin set from parsed pins, enforced, without expiry. */
  public static PinSet of(List<Pin> pins) {
    Objects.requireNonNull(pins, "pins");
    if (pins.isEmpty()) {
      throw new IllegalArgumentException("a pin set needs at least one pin (and should have a backup pin)");
    }
    LinkedHashSet<Pin> set = new LinkedHashSet<>();
    for (Pin p : pins) {
      set.add(Objects.requireNonNull(p, "pin"));
    }
    return new PinSet(Set.copyOf(set), null, OnExpiry.FAIL_CLOSED, false);
  }

  /** A copy that expires at {@code instant}, with what should happen then. */
  public PinSet expiresAt(Instant instant, OnExpiry onExpiry) {
    return new PinSet(
        pins,
        Objects.requireNonNull(instant, "instant"),
        Objects.requireNonNull(onExpiry, "onExpiry"),
        reportOnly);
  }

  /** A copy that accepts mismatching connections and reports them to listeners instead. */
  public PinSet reportOnly() {
    return new PinSet(pins, expiresAt, onExpiry, true);
  }

  public Set<Pin> pins() {
    return pins;
  }

  public @Nullable Instant expiry() {
    return expiresAt;
  }

  public OnExpiry onExpiry() {
    return onExpiry;
  }

  public boolean isReportOnly() {
    return reportOnly;
  }

  /** Whether this set has passed its expiry date at {@code now}. */
  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PinSet)) {
      return false;
    }
    PinSet other = (PinSet) o;
    return pins.equals(other.pins)
        && Objects.equals(expiresAt, other.expiresAt)
        && onExpiry == other.onExpiry
        && reportOnly == other.reportOnly;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pins, expiresAt, onExpiry, reportOnly);
  }

  @Override
  public String toString() {
    String[] sorted = pins.stream().map(Pin::toString).sorted().toArray(String[]::new);
    return "PinSet"
        + Arrays.toString(sorted)
        + (expiresAt != null ? " expires " + expiresAt + " then " + onExpiry : "")
        + (reportOnly ? " REPORT-ONLY" : "");
  }
}
