package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.ProfileRule;
import dev.moat.core.TlsRefusalException;
import java.math.BigInteger;
import java.net.IDN;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The certificate-profile rules stricter than RFC 5280 path validation (CA/Browser Forum Baseline
 * Requirements and RFC 5280 "MUST"s the JDK does not enforce). Each rule is a {@link ProfileRule}
 * that a policy may relax per host, except where noted.
 *
 * <p>Run after the path checks and the host name, in this order: trust anchor profile, serial
 * numbers, key identifiers, subjectAltName syntax, CN among the SANs, wildcards on public suffixes.
 * Unknown critical extensions are checked earlier, from {@link PathChecks}, so that Moat's message
 * wins over the JDK validator's.
 */
public final class ProfileChecks {
  static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
  static final String SAN_OID = "2.5.29.17";
  static final String SKI_OID = "2.5.29.14";
  static final String AKI_OID = "2.5.29.35";

  /**
   * The Baseline Requirements took effect on 2012-07-01. Roots issued before then (Go Daddy and
   * Starfield Class 2, Chunghwa ePKI, Hongkong Post Root CA 1, still in the JDK's cacerts) predate
   * the rules for basicConstraints criticality and subjectKeyIdentifier, so those two anchor rules
   * apply from that date on, to platform and private roots alike.
   */
  static final Instant BASELINE_REQUIREMENTS_EFFECTIVE = Instant.parse("2012-07-01T00:00:00Z");

  /**
   * Critical extensions Moat or the JDK validator process. Critical key identifiers are refused
   * with their own message. Any other critical extension refuses the
   * certificate (RFC 5280 4.2): for example the Certificate Transparency poison extension of a
   * precertificate, which must never be served.
   */
  static final Set<String> KNOWN_CRITICAL =
      Set.of(
          BASIC_CONSTRAINTS_OID,
          "2.5.29.15", // keyUsage
          "2.5.29.37", // extendedKeyUsage
          SAN_OID,
          NameConstraintChecks.OID,
          "2.5.29.32", // certificatePolicies
          "2.5.29.33", // policyMappings
          "2.5.29.36", // policyConstraints
          "2.5.29.54"); // inhibitAnyPolicy

  /**
   * The most subjectAltName entries a leaf may carry. Real certificates carry a handful, and the
   * largest multi-domain certificates a few hundred; thousands of names only make every later step
   * (host name matching, name constraints, the JDK's validator, messages) do needless work.
   */
  public static final int MAX_SANS = 1000;

  private ProfileChecks() {}

  /**
   * Refuses a leaf with more than {@link #MAX_SANS} subjectAltName entries as {@link
   * Check#MALFORMED} (hostile input, not a profile rule, so it cannot be relaxed). Called by {@link
   * PathChecks} before any check that walks the names.
   */
  /** Every certificate below the anchor must have a subject whose common names all decode. */
  static void subjectNames(Verification v, ValidatedPath path) throws TlsRefusalException {
    for (X509Certificate c : path.certificates()) {
      String problem = SanSyntax.subjectProblem(c);
      if (problem != null) {
        throw v.refuse(Check.MALFORMED,
            "The subject of " + Verification.name(c) + " does not decode: " + problem + ".",
            List.of("Expected: every commonName a valid character string (UTF8String, PrintableString, ...)."),
            "Have the certificate reissued with a well-formed subject.");
      }
    }
  }

  static void sanCount(Verification v, X509Certificate leaf) throws TlsRefusalException {
    int count = CertificateFacts.of(leaf).sanCount();
    if (count > MAX_SANS) {
      throw v.refuse(Check.MALFORMED,
          "The certificate " + Verification.name(leaf) + " has " + count + " subjectAltName entries; Moat"
              + " accepts at most " + MAX_SANS + ", so a hostile certificate cannot make every check slow.",
          List.of("Expected: at most " + MAX_SANS + " subjectAltName entries (real certificates have a few,"
              + " large multi-domain ones a few hundred)."),
          "Have the certificate reissued with fewer names: give this service a certificate of its own,"
              + " or split the names over several certificates.");
    }
  }

  public static void check(Verification v, ValidatedPath path) throws TlsRefusalException {
    if (!path.directlyTrusted()) {
      anchorBasicConstraints(v, path.anchor());
    }
    for (X509Certificate c : path.certificates()) {
      serialNumber(v, c);
    }
    keyIdentifiers(v, path);
    X509Certificate leaf = path.leaf();
    subjectAltNameSyntax(v, leaf);
    if (v.role == Verification.Role.SERVER) {
      commonNameInSans(v, leaf);
    }
    publicSuffixWildcards(v, leaf);
  }

  private static String relaxHint(Verification v, ProfileRule rule) {
    return ".relax(" + Texts.quote(v.host) + ", ProfileRule." + rule + ")";
  }

  // ------------------------------------------------------------------ ANCHOR_IS_CA

  /**
   * {@link ProfileRule#ANCHOR_IS_CA}: a trust anchor issued on or after {@link
   * #BASELINE_REQUIREMENTS_EFFECTIVE} marks basicConstraints critical (RFC 5280 4.2.1.9, BR
   * 7.1.2.1). Missing basicConstraints and CA certificates without keyCertSign are refused by
   * {@link PathChecks}, under the same rule.
   */
  static void anchorBasicConstraints(Verification v, X509Certificate anchor) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.ANCHOR_IS_CA) || CertificateFacts.extension(anchor, BASIC_CONSTRAINTS_OID) == null) {
      return;
    }
    Set<String> critical = anchor.getCriticalExtensionOIDs();
    if ((critical == null || !critical.contains(BASIC_CONSTRAINTS_OID))
        && !anchor.getNotBefore().toInstant().isBefore(BASELINE_REQUIREMENTS_EFFECTIVE)) {
      throw v.refuse(Check.BASIC_CONSTRAINTS,
          "The trust anchor " + Verification.name(anchor) + " does not mark basicConstraints critical, "
              + "as RFC 5280 and the Baseline Requirements require of a CA certificate.",
          List.of(), "Reissue the root with a critical basicConstraints extension (cA=TRUE). If this is "
              + "your own legacy root, relax the rule for its hosts: " + relaxHint(v, ProfileRule.ANCHOR_IS_CA));
    }
  }

  /**
   * No certificate of the path, anchor included, carries a critical extension outside {@link
   * #KNOWN_CRITICAL} (RFC 5280 4.2). For the anchor this is part of {@link ProfileRule#ANCHOR_IS_CA}
   * and can be relaxed; for the other certificates it cannot. Called by {@link PathChecks}.
   */
  static void criticalExtensions(Verification v, ValidatedPath path) throws TlsRefusalException {
    for (X509Certificate c : path.withAnchor()) {
      boolean anchor = c == path.anchor() && !path.directlyTrusted();
      if (anchor && v.relaxed(ProfileRule.ANCHOR_IS_CA)) {
        continue;
      }
      Set<String> critical = c.getCriticalExtensionOIDs();
      if (critical == null) {
        continue;
      }
      for (String oid : critical) {
        if (oid.equals(AKI_OID) || oid.equals(SKI_OID)) {
          throw v.refuse(Check.CERTIFICATE_PROFILE,
              "The " + (anchor ? "trust anchor " : "certificate ") + Verification.name(c) + " marks its "
                  + (oid.equals(AKI_OID) ? "authorityKeyIdentifier" : "subjectKeyIdentifier")
                  + " critical, which RFC 5280 forbids.",
              List.of(), "Have the certificate reissued by a conforming CA.");
        }
        if (!KNOWN_CRITICAL.contains(oid)) {
          throw v.refuse(Check.CERTIFICATE_PROFILE,
              "The " + (anchor ? "trust anchor " : "certificate ") + Verification.name(c)
                  + " has the critical extension " + Texts.sanitize(oid, 60) + (oid.equals(CT_POISON)
                      ? " (the Certificate Transparency poison of a precertificate, which is not a usable certificate)"
                      : ", which Moat does not know; RFC 5280 requires refusing such certificates") + ".",
              List.of(), anchor
                  ? "Use a root without unknown critical extensions, or relax the rule for its hosts: "
                      + relaxHint(v, ProfileRule.ANCHOR_IS_CA)
                  : "Have the certificate reissued without that critical extension.");
        }
      }
    }
  }

  private static final String CT_POISON = "1.3.6.1.4.1.11129.2.4.3";

  // ------------------------------------------------------------------ SERIAL_NUMBER

  /**
   * {@link ProfileRule#SERIAL_NUMBER}: serial numbers are positive, non-zero and at most 20 octets
   * (RFC 5280 4.1.2.2). Applied to the presented certificates, not to the anchor.
   */
  static void serialNumber(Verification v, X509Certificate c) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.SERIAL_NUMBER)) {
      return;
    }
    BigInteger serial = c.getSerialNumber();
    if (serial.signum() <= 0 || serial.toByteArray().length > 20) {
      throw v.refuse(Check.CERTIFICATE_PROFILE,
          "The certificate " + Verification.name(c) + " has serial number " + Texts.sanitize(serial.toString(16), 60)
              + " (hex); serial numbers must be positive, non-zero and at most 20 octets (RFC 5280 4.1.2.2).",
          List.of(), "Have the certificate reissued by a conforming CA, or relax the rule for this host: "
              + relaxHint(v, ProfileRule.SERIAL_NUMBER));
    }
  }

  // ------------------------------------------------------------------ KEY_IDENTIFIERS

  /**
   * {@link ProfileRule#KEY_IDENTIFIERS} (RFC 5280 4.2.1.1 and 4.2.1.2): every certificate below the
   * anchor that is not self-issued carries an authorityKeyIdentifier; every CA certificate of the
   * path carries a subjectKeyIdentifier (the anchor only if issued after {@link
   * #BASELINE_REQUIREMENTS_EFFECTIVE}). A critical key identifier is refused by {@link
   * #criticalExtensions} whatever the rule says (the JDK validator refuses it too).
   */
  static void keyIdentifiers(Verification v, ValidatedPath path) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.KEY_IDENTIFIERS)) {
      return;
    }
    String fix = "Have the certificate reissued by a conforming CA, or relax the rule for this host: "
        + relaxHint(v, ProfileRule.KEY_IDENTIFIERS);
    for (X509Certificate c : path.withAnchor()) {
      boolean anchor = c == path.anchor() && !path.directlyTrusted();
      boolean selfIssued = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
      if (!anchor && !selfIssued && CertificateFacts.extension(c, AKI_OID) == null) {
        throw v.refuse(Check.CERTIFICATE_PROFILE,
            "The certificate " + Verification.name(c) + " has no authorityKeyIdentifier, which RFC 5280 "
                + "requires in every certificate that is not self-signed.",
            List.of(), fix);
      }
      boolean isCa = c.getBasicConstraints() >= 0;
      boolean required = isCa && !(path.directlyTrusted() && c == path.leaf())
          && (!anchor || !c.getNotBefore().toInstant().isBefore(BASELINE_REQUIREMENTS_EFFECTIVE));
      if (required && CertificateFacts.extension(c, SKI_OID) == null) {
        throw v.refuse(Check.CERTIFICATE_PROFILE,
            "The CA " + (anchor ? "(trust anchor) " : "") + Verification.name(c)
                + " has no subjectKeyIdentifier, which RFC 5280 requires in every CA certificate.",
            List.of(), fix);
      }
    }
  }

  // ------------------------------------------------------------------ SAN_SYNTAX

  /**
   * {@link ProfileRule#SAN_SYNTAX}: the leaf's subjectAltName, when present, is a non-empty list;
   * each dNSName is a valid host name in A-label form (letters, digits, hyphens; no underscores, no
   * empty labels or leading dots; a {@code *} only as the whole left-most label); the extension is
   * critical exactly when the subject is empty (RFC 5280 4.2.1.6, BR 7.1.2.7.12). An unreadable
   * subjectAltName is refused as {@link Check#MALFORMED} and cannot be relaxed.
   */
  static void subjectAltNameSyntax(Verification v, X509Certificate leaf) throws TlsRefusalException {
    CertificateFacts facts = CertificateFacts.of(leaf);
    if (facts.sanError() != null) {
      throw v.refuse(Check.MALFORMED,
          "The subjectAltName extension of " + Verification.name(leaf) + " does not parse: " + facts.sanError(),
          List.of(), "Have the certificate reissued.");
    }
    if (v.relaxed(ProfileRule.SAN_SYNTAX)) {
      return;
    }
    String fix = "Have the certificate reissued with well-formed names, or relax the rule for this host: "
        + relaxHint(v, ProfileRule.SAN_SYNTAX);
    byte[] ext = CertificateFacts.extension(leaf, SAN_OID);
    if (ext != null && sanIsEmptySequence(ext)) {
      throw v.refuse(Check.CERTIFICATE_PROFILE,
          "The certificate " + Verification.name(leaf) + " has an empty subjectAltName extension "
              + "(RFC 5280 requires at least one name).",
          List.of(), fix);
    }
    for (String name : facts.dnsNames()) {
      String n = name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
      String problem = SanSyntax.dnsProblem(n, true);
      if (problem != null) {
        throw v.refuse(Check.CERTIFICATE_PROFILE,
            "The certificate " + Verification.name(leaf) + " has the DNS name '" + Texts.sanitize(name, 100)
                + "', which " + problem + ".",
            List.of(), fix);
      }
    }
    boolean emptySubject = leaf.getSubjectX500Principal().getEncoded().length <= 2;
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    boolean sanCritical = critical != null && critical.contains(SAN_OID);
    if (ext != null && sanCritical && !emptySubject) {
      throw v.refuse(Check.CERTIFICATE_PROFILE,
          "The certificate " + Verification.name(leaf) + " marks subjectAltName critical although its "
              + "subject is not empty; the Baseline Requirements allow a critical subjectAltName only "
              + "with an empty subject.",
          List.of(), fix);
    }
    if (emptySubject && (ext == null || !sanCritical)) {
      throw v.refuse(Check.CERTIFICATE_PROFILE,
          "The certificate has an empty subject and " + (ext == null ? "no subjectAltName"
              : "a non-critical subjectAltName") + "; RFC 5280 requires a critical subjectAltName then.",
          List.of(), fix);
    }
  }

  private static boolean sanIsEmptySequence(byte[] ext) {
    try {
      Der.Tlv names = Der.extension(ext).expect(Der.SEQUENCE);
      return names.length() == 0;
    } catch (RuntimeException e) {
      return false; // unparsable: reported through CertificateFacts.sanError
    }
  }

  // ------------------------------------------------------------------ SUBJECT_CN_IN_SAN

  /**
   * {@link ProfileRule#SUBJECT_CN_IN_SAN}: for server certificates, each subject common name is one
   * of the subjectAltName dNSName entries (compared case-insensitively, a U-label CN as its
   * A-label) or the text form of an iPAddress entry (BR 7.1.2.7.2). A CN that is not among the SANs
   * misleads every tool and person that reads it.
   */
  static void commonNameInSans(Verification v, X509Certificate leaf) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.SUBJECT_CN_IN_SAN)) {
      return;
    }
    CertificateFacts facts = CertificateFacts.of(leaf);
    for (String cn : CertificateFacts.commonNames(leaf)) {
      if (!cnInSans(cn, facts)) {
        throw v.refuse(Check.CERTIFICATE_PROFILE,
            "The subject CN '" + Texts.sanitize(cn, 100) + "' of " + Verification.name(leaf)
                + " is not one of its subjectAltName entries.",
            List.of("The subjectAltName entries: " + facts.namesForHumans(10)),
            "Have the certificate reissued with the CN among the subjectAltName entries (or without a "
                + "CN), or relax the rule for this host: " + relaxHint(v, ProfileRule.SUBJECT_CN_IN_SAN));
      }
    }
  }

  private static boolean cnInSans(String cn, CertificateFacts facts) {
    byte[] ip = HostNames.ipLiteral(cn);
    if (ip != null) {
      for (byte[] candidate : facts.ipAddresses()) {
        if (Arrays.equals(ip, candidate)) {
          return true;
        }
      }
      return false;
    }
    String a;
    try {
      a = IDN.toASCII(cn, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (String dns : facts.dnsNames()) {
      if (dns.toLowerCase(Locale.ROOT).equals(a)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ NO_PUBLIC_SUFFIX_WILDCARD

  /**
   * {@link ProfileRule#NO_PUBLIC_SUFFIX_WILDCARD}: no wildcard dNSName of the leaf stands directly
   * over a public suffix of the ICANN section of the public suffix list ({@code *.com}, {@code
   * *.co.uk}, and any single label such as {@code *.internal}), as BR 3.2.2.6 forbids.
   */
  static void publicSuffixWildcards(Verification v, X509Certificate leaf) throws TlsRefusalException {
    if (v.relaxed(ProfileRule.NO_PUBLIC_SUFFIX_WILDCARD)) {
      return;
    }
    List<String> wildcards = new ArrayList<>();
    for (String name : CertificateFacts.of(leaf).dnsNames()) {
      if (name.startsWith("*.")) {
        wildcards.add(name);
      }
    }
    for (String name : wildcards) {
      String parent = name.substring(2).toLowerCase(Locale.ROOT);
      boolean publicSuffix;
      try {
        publicSuffix = PublicSuffixes.isPublicSuffix(parent);
      } catch (IllegalStateException e) {
        throw v.refuse(Check.CERTIFICATE_PROFILE, e.getMessage(), List.of(),
            "Repackage moat-core with its resources, or relax the rule for this host: "
                + relaxHint(v, ProfileRule.NO_PUBLIC_SUFFIX_WILDCARD), e);
      }
      if (publicSuffix) {
        throw v.refuse(Check.CERTIFICATE_PROFILE,
            "The certificate " + Verification.name(leaf) + " has the wildcard name '" + Texts.sanitize(name, 100)
                + "', which stands over the public suffix '" + Texts.sanitize(parent, 100)
                + "': it would match every registrant's domain there.",
            List.of("Public suffix list (ICANN section): " + PublicSuffixes.version()),
            "Have the certificate reissued for the registered domain (for example *.example."
                + Texts.sanitize(parent, 60) + "), or relax the rule for this host: "
                + relaxHint(v, ProfileRule.NO_PUBLIC_SUFFIX_WILDCARD));
      }
    }
  }
}
