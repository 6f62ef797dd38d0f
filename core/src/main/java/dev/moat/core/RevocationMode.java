package dev.moat.core;

/** Whether and how strictly a policy checks that certificates are not revoked. See {@link Revocation}. */
public enum RevocationMode {
  /** No revocation check. */
  OFF,
  /**
   * A definite "revoked" refuses; an unknown status, an unreachable responder or a bad response
   * accepts the connection and is reported to listeners. The default.
   */
  SOFT_FAIL,
  /** Anything but a definite, verified "good" refuses. */
  HARD_FAIL
}
