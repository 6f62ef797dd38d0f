package dev.moat.core;

/**
 * Which check of the strict pipeline refused a peer. Every refusal carries exactly one; tests and
 * dashboards can match on it instead of parsing messages.
 */
public enum Check {
  /** The chain leads to no configured trust anchor: an unknown or private root, or self-signed. */
  TRUST_PATH,
  /** The chain's issuer is not among the presented certificates: the server omits an intermediate. */
  MISSING_INTERMEDIATE,
  /** A certificate of the path is past its notAfter at the validation instant. */
  EXPIRED,
  /** A certificate of the path is before its notBefore at the validation instant. */
  NOT_YET_VALID,
  /** The host name (or IP address) is not among the leaf's subjectAltName entries. */
  HOSTNAME,
  /** A key is too weak: RSA below 2048 bits, EC below 256 bits, DSA, or an odd RSA modulus. */
  KEY_STRENGTH,
  /** A certificate is signed with a hash weaker than SHA-256 (MD5, SHA-1) or an unknown algorithm. */
  SIGNATURE_ALGORITHM,
  /** The leaf lacks the extended key usage this side needs (serverAuth or clientAuth), or has bad EKU. */
  EXTENDED_KEY_USAGE,
  /** A key usage bit the certificate's role needs is missing (keyCertSign on a CA, for example). */
  KEY_USAGE,
  /** An issuing certificate is not a CA (basicConstraints) or a path length constraint is broken. */
  BASIC_CONSTRAINTS,
  /** The peer certificate is a CA certificate (or can sign certificates) presented as a leaf. */
  LEAF_IS_CA,
  /** A name in the path falls outside a CA's or anchor's name constraints, or the constraints are malformed. */
  NAME_CONSTRAINTS,
  /**
   * The certificate breaks the certificate profile (RFC 5280 / CA/Browser Forum Baseline
   * Requirements): bad serial number, AKI/SKI rules, CN not among the SANs, unknown critical
   * extensions, malformed names, wildcard on a public suffix, and the like.
   */
  CERTIFICATE_PROFILE,
  /** None of the path's SPKI pins matches a pin configured for the host. */
  PIN,
  /** A pin set that is configured to fail closed has passed its expiry date. */
  PIN_SET_EXPIRED,
  /** The certificate is revoked (OCSP or CRL). */
  REVOKED,
  /** The revocation status could not be established and the policy requires it. */
  REVOCATION_UNKNOWN,
  /** The peer offers only TLS versions below the policy's floor (TLS 1.0/1.1, SSL 3). */
  PROTOCOL,
  /** The peer offers no cipher suite the policy allows (only non-AEAD or non-forward-secret suites). */
  CIPHER_SUITE,
  /** The peer does not speak TLS at all, or the endpoint is plaintext ({@code http://}, {@code redis://}...). */
  PLAINTEXT,
  /** The certificate or chain could not be parsed, or is hostile (too long, too many names, loops). */
  MALFORMED
}
