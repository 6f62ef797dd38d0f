package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.ProfileRule;
import dev.moat.core.TlsRefusalException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The certificate rules applied to every certificate of a built path: validity, key strength,
 * signature algorithm, CA constraints, key usage, extended key usage; then the JDK's RFC 5280
 * validator as a backstop (with the anchor's name constraints, which JSSE drops).
 */
public final class PathChecks {
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  public static final String ANY_EKU = "2.5.29.37.0";

  /** Signature algorithm OIDs with SHA-256 or stronger (RSASSA-PSS is checked separately). */
  private static final Set<String> STRONG_SIGNATURES =
      Set.of(
          "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
          "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
          "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
          "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
          "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
          "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
          "1.3.101.112", // Ed25519
          "1.3.101.113"); // Ed448
  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private PathChecks() {}

  public static void check(Verification v, ValidatedPath path) throws TlsRefusalException {
    ProfileChecks.sanCount(v, path.leaf());
    ProfileChecks.subjectNames(v, path);
    List<X509Certificate> certs = path.certificates();
    validity(v, path);
    for (X509Certificate c : path.withAnchor()) {
      keyStrength(v, c, c == path.anchor() && !path.directlyTrusted() ? "trust anchor" : "certificate");
    }
    if (!path.directlyTrusted()) {
      for (X509Certificate c : certs) {
        signatureAlgorithm(v, c);
      }
    }
    issuers(v, path);
    leaf(v, path);
    NameConstraintChecks.check(v, path);
    ProfileChecks.criticalExtensions(v, path);
    if (!path.directlyTrusted()) {
      pkix(v, path);
    }
  }

  /**
   * Validity at the validation instant of every certificate of the path below the anchor. Runs on
   * every call, also when the rest of the path's verdict is cached ({@link PathVerdicts}).
   */
  static void validity(Verification v, ValidatedPath path) throws TlsRefusalException {
    for (X509Certificate c : path.certificates()) {
      validity(v, c);
    }
  }

  static void validity(Verification v, X509Certificate c) throws TlsRefusalException {
    long now = v.now.toEpochMilli();
    if (now < c.getNotBefore().getTime()) {
      throw v.refuse(Check.NOT_YET_VALID,
          "The certificate " + Verification.name(c) + " is not valid until "
              + WHEN.format(c.getNotBefore().toInstant()) + " (" + days(c.getNotBefore().getTime() - now)
              + " from now).",
          List.of("Validation instant: " + WHEN.format(v.now)),
          "If this machine's clock is behind, correct it; otherwise the server installed its certificate too "
              + "early: serve the previous certificate until " + WHEN.format(c.getNotBefore().toInstant()) + ".");
    }
    if (now > c.getNotAfter().getTime()) {
      throw v.refuse(Check.EXPIRED,
          "The certificate " + Verification.name(c) + " expired on "
              + WHEN.format(c.getNotAfter().toInstant()) + " (" + days(now - c.getNotAfter().getTime())
              + " ago).",
          List.of("Validation instant: " + WHEN.format(v.now)),
          "Renew the server's certificate. If this machine's clock is ahead, correct it.");
    }
  }

  private static String days(long millis) {
    long d = Duration.ofMillis(millis).toDays();
    return d >= 1 ? d + (d == 1 ? " day" : " days") : Duration.ofMillis(millis).toMinutes() + " minutes";
  }

  static void keyStrength(Verification v, X509Certificate c, String role) throws TlsRefusalException {
    PublicKey key = c.getPublicKey();
    String fix = "Reissue it with an RSA key of at least 2048 bits or an EC key on P-256 or larger.";
    if (key instanceof RSAPublicKey) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < 2048) {
        throw v.refuse(Check.KEY_STRENGTH,
            "The " + role + " " + Verification.name(c) + " has a " + bits + "-bit RSA key; the minimum is 2048 bits.",
            List.of(), fix);
      }
      if (bits % 8 != 0) {
        throw v.refuse(Check.KEY_STRENGTH,
            "The " + role + " " + Verification.name(c) + " has an RSA modulus of " + bits
                + " bits, not a whole number of bytes: such keys come from broken generators.",
            List.of(), fix);
      }
      return;
    }
    if (key instanceof ECPublicKey) {
      int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
      if (bits < 256) {
        throw v.refuse(Check.KEY_STRENGTH,
            "The " + role + " " + Verification.name(c) + " has a " + bits + "-bit EC key; the minimum is 256 bits (P-256).",
            List.of(), fix);
      }
      return;
    }
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448")) {
      return;
    }
    throw v.refuse(Check.KEY_STRENGTH,
        "The " + role + " " + Verification.name(c) + " has a " + algorithm
            + " key; only RSA (2048+), EC (P-256+) and EdDSA keys are accepted.",
        List.of(), fix);
  }

  static void signatureAlgorithm(Verification v, X509Certificate c) throws TlsRefusalException {
    String oid = c.getSigAlgOID();
    if (STRONG_SIGNATURES.contains(oid)) {
      return;
    }
    if (RSASSA_PSS.equals(oid) && pssHashIsStrong(c.getSigAlgParams())) {
      return;
    }
    throw v.refuse(Check.SIGNATURE_ALGORITHM,
        "The certificate " + Verification.name(c) + " is signed with " + c.getSigAlgName()
            + "; only SHA-256 or stronger signatures are accepted (SHA-1 and MD5 signatures can be forged).",
        List.of(), "Have the certificate reissued with a SHA-256 (or stronger) signature.");
  }

  private static boolean pssHashIsStrong(byte[] params) {
    if (params == null) {
      return false; // default PSS parameters use SHA-1
    }
    try {
      // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
      Der fields = Der.single(params).expect(Der.SEQUENCE).contents();
      if (!fields.hasNext()) {
        return false; // default hash: SHA-1
      }
      Der.Tlv first = fields.next();
      if (first.tag() != 0xa0) {
        return false; // no hashAlgorithm: SHA-1
      }
      Der explicit = first.contents();
      Der algorithm = explicit.next().expect(Der.SEQUENCE).contents();
      explicit.finish();
      Der.Tlv hash = algorithm.next().expect(Der.OID);
      int last = 0xa0;
      while (fields.hasNext()) { // maskGenAlgorithm [1], saltLength [2], trailerField [3], in order
        int tag = fields.next().tag();
        if (tag <= last || tag > 0xa3) {
          return false;
        }
        last = tag;
      }
      return hash.contentsEqual(SHA256) || hash.contentsEqual(SHA384) || hash.contentsEqual(SHA512);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** OID contents octets of 2.16.840.1.101.3.4.2.1, .2 and .3. */
  private static final byte[] SHA256 = {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
  private static final byte[] SHA384 = {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
  private static final byte[] SHA512 = {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};

  /** Every certificate that issued another in the path must be a CA allowed to do so. */
  static void issuers(Verification v, ValidatedPath path) throws TlsRefusalException {
    List<X509Certificate> all = path.withAnchor();
    int intermediatesBelow = 0;
    for (int i = 1; i < all.size(); i++) {
      X509Certificate issuer = all.get(i);
      boolean isAnchor = i == all.size() - 1 && !path.directlyTrusted();
      int constraint = issuer.getBasicConstraints();
      if (constraint < 0 && !(isAnchor && v.relaxed(ProfileRule.ANCHOR_IS_CA))) {
        throw v.refuse(Check.BASIC_CONSTRAINTS,
            "The certificate " + Verification.name(issuer) + " issued " + Verification.name(all.get(i - 1))
                + " but is not a CA (its basicConstraints do not say CA:TRUE).",
            List.of(), "The issuing certificate must be a CA certificate; have the chain reissued by a proper CA.");
      }
      if (constraint >= 0 && intermediatesBelow > constraint) {
        throw v.refuse(Check.BASIC_CONSTRAINTS,
            "The CA " + Verification.name(issuer) + " allows " + constraint
                + " intermediate(s) below it (pathLenConstraint) but the path has " + intermediatesBelow + ".",
            List.of(), "Shorten the chain or reissue the CA with a larger path length.");
      }
      boolean[] ku = issuer.getKeyUsage();
      if (ku != null && (ku.length < 6 || !ku[5]) && !(isAnchor && v.relaxed(ProfileRule.ANCHOR_IS_CA))) {
        throw v.refuse(Check.KEY_USAGE,
            "The CA " + Verification.name(issuer) + " has a keyUsage extension without keyCertSign, "
                + "so it may not sign certificates.",
            List.of(), "Reissue the CA certificate with keyUsage keyCertSign.");
      }
      if (i < all.size() - 1) {
        // EKU chaining, as browsers do: an intermediate restricted to other purposes cannot issue for this one.
        chainedEku(v, issuer);
      }
      if (!issuer.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        intermediatesBelow++;
      }
    }
  }

  private static void chainedEku(Verification v, X509Certificate ca) throws TlsRefusalException {
    if (v.requiredEkus.isEmpty()) {
      return;
    }
    List<String> eku;
    try {
      eku = ca.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw v.refuse(Check.EXTENDED_KEY_USAGE,
          "The extendedKeyUsage extension of " + Verification.name(ca) + " does not parse.", List.of(), null, e);
    }
    if (eku == null || eku.contains(ANY_EKU) || eku.containsAll(v.requiredEkus)) {
      return;
    }
    throw v.refuse(Check.EXTENDED_KEY_USAGE,
        "The CA " + Verification.name(ca) + " is restricted to extended key usages " + ekuNames(eku)
            + ", which do not include " + ekuNames(List.copyOf(v.requiredEkus)) + ".",
        List.of(), "Use a chain whose intermediates are allowed to issue " + ekuNames(List.copyOf(v.requiredEkus))
            + " certificates.");
  }

  static void leaf(Verification v, ValidatedPath path) throws TlsRefusalException {
    X509Certificate leaf = path.leaf();
    if (!path.directlyTrusted()) {
      boolean[] ku = leaf.getKeyUsage();
      boolean certSign = ku != null && ku.length > 5 && ku[5];
      if (leaf.getBasicConstraints() >= 0 || certSign) {
        throw v.refuse(Check.LEAF_IS_CA,
            "The peer's certificate " + Verification.name(leaf) + " is a CA certificate ("
                + (leaf.getBasicConstraints() >= 0 ? "basicConstraints CA:TRUE" : "keyUsage keyCertSign")
                + "); a server or client must present an end-entity certificate.",
            List.of(), "Serve an end-entity certificate issued by the CA, not the CA certificate itself.");
      }
    }
    boolean[] ku = leaf.getKeyUsage();
    if (ku != null && !ku[0]) {
      throw v.refuse(Check.KEY_USAGE,
          "The certificate " + Verification.name(leaf) + " has a keyUsage extension without digitalSignature,"
              + " which every allowed (forward-secret) TLS handshake needs.",
          List.of(), "Reissue the certificate with keyUsage digitalSignature.");
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw v.refuse(Check.EXTENDED_KEY_USAGE,
          "The extendedKeyUsage extension of " + Verification.name(leaf) + " does not parse.", List.of(), null, e);
    }
    if (v.requiredEkus.isEmpty()) {
      return;
    }
    String wanted = ekuNames(List.copyOf(v.requiredEkus));
    String fix = "Reissue the certificate with extendedKeyUsage " + wanted + ".";
    boolean profile = v.role == Verification.Role.SERVER && !v.relaxed(ProfileRule.SERVER_EKU_PROFILE);
    if (eku == null) {
      if (profile) {
        throw v.refuse(Check.EXTENDED_KEY_USAGE,
            "The certificate " + Verification.name(leaf) + " has no extendedKeyUsage extension; a server "
                + "certificate must list " + wanted + " (CA/Browser Forum Baseline Requirements).",
            List.of(), fix + " For a private CA that omits it, relax the rule for its hosts: "
                + ".relax(" + Texts.quote(v.host) + ", ProfileRule.SERVER_EKU_PROFILE)");
      }
      return;
    }
    if (profile && leaf.getCriticalExtensionOIDs() != null
        && leaf.getCriticalExtensionOIDs().contains("2.5.29.37")) {
      throw v.refuse(Check.EXTENDED_KEY_USAGE,
          "The certificate " + Verification.name(leaf) + " marks extendedKeyUsage critical, which the "
              + "Baseline Requirements forbid for server certificates.",
          List.of(), fix);
    }
    if (eku.containsAll(v.requiredEkus)) {
      return;
    }
    if (eku.contains(ANY_EKU) && !profile) {
      return;
    }
    throw v.refuse(Check.EXTENDED_KEY_USAGE,
        "The certificate " + Verification.name(leaf) + " allows extended key usages " + ekuNames(eku)
            + " but not " + wanted + ".",
        List.of(), fix);
  }

  static String ekuNames(List<String> oids) {
    StringBuilder b = new StringBuilder();
    for (String oid : oids) {
      if (b.length() > 0) {
        b.append(", ");
      }
      switch (oid) {
        case SERVER_AUTH: b.append("serverAuth"); break;
        case CLIENT_AUTH: b.append("clientAuth"); break;
        case ANY_EKU: b.append("anyExtendedKeyUsage"); break;
        case "1.3.6.1.5.5.7.3.3": b.append("codeSigning"); break;
        case "1.3.6.1.5.5.7.3.4": b.append("emailProtection"); break;
        case "1.3.6.1.5.5.7.3.8": b.append("timeStamping"); break;
        case "1.3.6.1.5.5.7.3.9": b.append("OCSPSigning"); break;
        default: b.append(Texts.sanitize(oid, 60));
      }
    }
    return b.length() == 0 ? "(none)" : b.toString();
  }

  /**
   * RFC 5280 validation by the JDK, as a backstop. The anchor is given without its name
   * constraints, because the JDK's validator refuses any anchor that carries them ("name
   * constraints in trust anchor not supported"; see JdkNameConstraintsTest in testkit). So this
   * validator enforces no constraint of the anchor, of any name form: {@link NameConstraintChecks}
   * enforces all of them before this runs (DNS and IP with Moat's own rules, directoryName,
   * rfc822Name and URI with Bouncy Castle, and it refuses names of forms nobody can check). The
   * constraints of intermediates are enforced both there (DNS, IP) and here (every form).
   */
  static void pkix(Verification v, ValidatedPath path) throws TlsRefusalException {
    TrustAnchor anchor = new TrustAnchor(path.anchor(), null);
    try {
      CertPath certPath = JDK_PKIX.get().factory.generateCertPath(path.certificates());
      PKIXParameters params = new PKIXParameters(Set.of(anchor));
      params.setRevocationEnabled(false);
      params.setDate(Date.from(v.now));
      JDK_PKIX.get().validator.validate(certPath, params);
    } catch (CertPathValidatorException e) {
      throw mapPkix(v, path, e);
    } catch (java.security.GeneralSecurityException e) {
      throw v.refuse(Check.TRUST_PATH, "RFC 5280 path validation failed: " + Texts.sanitize(String.valueOf(e.getMessage()), 200),
          List.of(), null, e);
    }
  }

  /** The JDK's factory and validator, looked up once per thread rather than on every path. */
  private static final ThreadLocal<JdkPkix> JDK_PKIX = ThreadLocal.withInitial(JdkPkix::new);

  private static final class JdkPkix {
    final java.security.cert.CertificateFactory factory = PemReader.x509Factory();
    final CertPathValidator validator;

    JdkPkix() {
      try {
        validator = CertPathValidator.getInstance("PKIX");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JVM has no PKIX CertPathValidator", e);
      }
    }
  }

  private static TlsRefusalException mapPkix(Verification v, ValidatedPath path, CertPathValidatorException e) {
    CertPathValidatorException.Reason reason = e.getReason();
    Check check;
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
      check = Check.EXPIRED;
    } else if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      check = Check.NOT_YET_VALID;
    } else if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
      check = Check.SIGNATURE_ALGORITHM;
    } else if (reason == PKIXReason.NOT_CA_CERT || reason == PKIXReason.PATH_TOO_LONG) {
      check = Check.BASIC_CONSTRAINTS;
    } else if (reason == PKIXReason.INVALID_KEY_USAGE) {
      check = Check.KEY_USAGE;
    } else if (reason == PKIXReason.INVALID_NAME) {
      check = Check.NAME_CONSTRAINTS;
    } else if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT || reason == PKIXReason.INVALID_POLICY) {
      check = Check.CERTIFICATE_PROFILE;
    } else {
      check = Check.TRUST_PATH;
    }
    int index = e.getIndex();
    String which = index >= 0 && index < path.certificates().size()
        ? " at " + Verification.name(path.certificates().get(index)) : "";
    return v.refuse(check,
        "RFC 5280 path validation failed" + which + ": " + Texts.sanitize(String.valueOf(e.getMessage()), 200),
        List.of(), null, e);
  }
}
