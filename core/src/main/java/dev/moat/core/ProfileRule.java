package dev.moat.core;

/**
 * The certificate-profile rules that Moat applies on top of RFC 5280 path validation. All are on by
 * default (the strict web-PKI profile); a private PKI that cannot meet one may relax it for the
 * hosts it serves with {@link TlsPolicy.Builder#relax(String, ProfileRule...)}.
 *
 * <p><b>Security</b>: each relaxation accepts certificates that public CAs are forbidden to issue.
 * Relax only what your own CA really does, only for its hosts.
 */
public enum ProfileRule {
  /** The server leaf carries an extendedKeyUsage extension, not critical, with serverAuth, and not anyExtendedKeyUsage alone. */
  SERVER_EKU_PROFILE,
  /** A subject common name, if present, is one of the subjectAltName entries. */
  SUBJECT_CN_IN_SAN,
  /** Certificates below the anchor carry a non-critical authorityKeyIdentifier; CAs carry a non-critical subjectKeyIdentifier. */
  KEY_IDENTIFIERS,
  /** Serial numbers are positive, non-zero and at most 20 octets. */
  SERIAL_NUMBER,
  /** Trust anchors are proper CAs: critical basicConstraints CA=true, keyCertSign, no unknown critical extensions. */
  ANCHOR_IS_CA,
  /** A wildcard subjectAltName is not on a public suffix ({@code *.com}, {@code *.co.uk}). */
  NO_PUBLIC_SUFFIX_WILDCARD
}
