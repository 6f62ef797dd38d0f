package dev.moat.core;

/**
 * Whether and how strictly a policy checks that certificates are not revoked.
 *
 * <p>Status: only {@link #OFF} is implemented in this release; choosing another mode fails at
 * {@code build()} rather than silently not checking.
 */
public enum RevocationMode {
  /** No revocation check. */
  OFF,
  /** A definite "revoked" refuses; an unknown or unreachable status accepts and is reported. */
  SOFT_FAIL,
  /** Anything but a definite "good" refuses. */
  HARD_FAIL
}
