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
  /**
   * The server leaf carries an extendedKeyUsage extension, not critical, that lists serverAuth
   * (anyExtendedKeyUsage alone does not do), as the Baseline Requirements (7.1.2.7.10) require.
   * Relaxed, a leaf without the extension, or with anyExtendedKeyUsage, or with a critical one, is
   * accepted; a leaf whose extension lists other purposes only is refused all the same. Refusals
   * carry {@link Check#EXTENDED_KEY_USAGE}.
   */
  SERVER_EKU_PROFILE,
  /**
   * Each subject common name of a server leaf is one of its subjectAltName entries (a DNS name,
   * case-insensitive, or an IP address in text form; BR 7.1.2.7.2). Host names are never matched
   * against the CN either way; this rule refuses certificates whose CN names something else.
   * Refusals carry {@link Check#CERTIFICATE_PROFILE}.
   */
  SUBJECT_CN_IN_SAN,
  /**
   * Every certificate below the trust anchor that is not self-signed carries an
   * authorityKeyIdentifier; every CA certificate carries a subjectKeyIdentifier (a trust anchor
   * only if issued after the Baseline Requirements took effect, 2012-07-01) (RFC 5280 4.2.1.1,
   * 4.2.1.2). Refusals carry {@link Check#CERTIFICATE_PROFILE}. A critical key identifier is refused
   * even when this rule is relaxed: RFC 5280 forbids it and the JDK's validator rejects it too.
   */
  KEY_IDENTIFIERS,
  /**
   * Serial numbers of the presented certificates are positive, non-zero and at most 20 octets (RFC
   * 5280 4.1.2.2). Refusals carry {@link Check#CERTIFICATE_PROFILE}.
   */
  SERIAL_NUMBER,
  /**
   * Trust anchors are proper CAs: basicConstraints with cA=TRUE ({@link Check#BASIC_CONSTRAINTS}),
   * marked critical when the root was issued after 2012-07-01; keyCertSign when a keyUsage
   * extension is present ({@link Check#KEY_USAGE}); no unknown critical extension ({@link
   * Check#CERTIFICATE_PROFILE}). Platform roots get no exemption (the JDK's own roots all pass).
   * Keys of anchors are judged by the key-strength rules, which cannot be relaxed.
   */
  ANCHOR_IS_CA,
  /**
   * No wildcard subjectAltName of the leaf stands over a public suffix of the ICANN section of the
   * public suffix list ({@code *.com}, {@code *.co.uk}, any single label such as {@code
   * *.internal}), per BR 3.2.2.6. Suffixes of the list's PRIVATE section ({@code *.github.io}) are
   * allowed. Refusals carry {@link Check#CERTIFICATE_PROFILE}. Relaxing it lets {@code *.co.uk}
   * match; {@code *.com} never matches a host name in any case.
   */
  NO_PUBLIC_SUFFIX_WILDCARD,
  /**
   * The leaf's subjectAltName is a non-empty list whose DNS names are valid host names in A-label
   * form: letters, digits and hyphens, no underscores, no empty labels or leading dots, a {@code *}
   * only as the whole left-most label; and the extension is critical exactly when the subject is
   * empty (RFC 5280 4.2.1.6, BR 7.1.2.7.12). Private PKIs with underscores in host names may need
   * to relax it. Refusals carry {@link Check#CERTIFICATE_PROFILE}.
   */
  SAN_SYNTAX
}
