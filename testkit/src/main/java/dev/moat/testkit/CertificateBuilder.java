package dev.moat.testkit;

import dev.moat.testkit.internal.Bc;
import dev.moat.testkit.internal.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Makes one custom certificate, for tests that need a defect the {@link TestPki} does not offer
 * ready-made: odd names, thousands of SANs, long chains, loops, unknown critical extensions.
 *
 * <p>Start from {@link TestPki#leafBuilder()} (a good server leaf for the PKI's host names, issued
 * by its intermediate) or {@link TestPki#caBuilder()} (a good intermediate CA issued by its root),
 * change what the test is about, and {@link #build()}:
 *
 * <pre>{@code
 * Credentials weird = pki.leafBuilder()
 *     .sans("DNS:localhost", "IP:127.0.0.1", "DNS:*.*.example.com")
 *     .removeExtension(Extension.extendedKeyUsage)
 *     .build();
 * Credentials deep = pki.caBuilder().issuer(pki.caBuilder().build()).build();
 * }</pre>
 *
 * <p>Nothing is validated: the builder writes whatever it is told, which is the point. Each
 * {@link #build()} makes a new certificate with a new serial number (and a new EC key unless a key
 * was given).
 */
public final class CertificateBuilder {
  /** The TLS feature extension of RFC 7633. */
  static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");
  /** The TLS extension number of status_request (RFC 6066). */
  private static final int STATUS_REQUEST = 5;

  private final TestPki pki;
  private final boolean ca;
  private X500Name subject;
  private Instant notBefore;
  private Instant notAfter;
  private @Nullable KeyPair keyPair;
  private int rsaBits;
  private @Nullable String signatureAlgorithm;
  private @Nullable BigInteger serial;
  private @Nullable Credentials issuer;
  private boolean selfSigned;
  private boolean subjectKeyIdentifier = true;
  private boolean authorityKeyIdentifier = true;
  private final Map<ASN1ObjectIdentifier, Extension> extensions = new LinkedHashMap<>();

  CertificateBuilder(TestPki pki, boolean ca, X500Name subject, Instant notBefore, Instant notAfter) {
    this.pki = pki;
    this.ca = ca;
    this.subject = subject;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    if (ca) {
      basicConstraints(true);
      keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
    } else {
      basicConstraints(false);
      keyUsage(KeyUsage.digitalSignature);
      extendedKeyUsage(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    }
  }

  /** The subject distinguished name, for example {@code "CN=db.example.com, O=Test"}. */
  public CertificateBuilder subject(String distinguishedName) {
    this.subject = new X500Name(BCStyle.INSTANCE, Objects.requireNonNull(distinguishedName, "dn"));
    return this;
  }

  /** The subject distinguished name. */
  public CertificateBuilder subject(X500Name distinguishedName) {
    this.subject = Objects.requireNonNull(distinguishedName, "distinguishedName");
    return this;
  }

  /** A subject made of this common name alone (any characters, no DN escaping needed). */
  public CertificateBuilder commonName(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    this.subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    return this;
  }

  /**
   * Replaces the subjectAltName extension. Each entry is a {@link GeneralName} or a string {@code
   * DNS:name}, {@code IP:address}, {@code URI:uri} or {@code EMAIL:address}. An empty list removes
   * the extension.
   */
  public CertificateBuilder sans(List<?> names) {
    Objects.requireNonNull(names, "names");
    if (names.isEmpty()) {
      extensions.remove(Extension.subjectAlternativeName);
      return this;
    }
    GeneralName[] generalNames = new GeneralName[names.size()];
    for (int i = 0; i < generalNames.length; i++) {
      generalNames[i] = generalName(names.get(i));
    }
    return extension(Extension.subjectAlternativeName, false, new GeneralNames(generalNames));
  }

  /** Replaces the subjectAltName extension; see {@link #sans(List)}. */
  public CertificateBuilder sans(String... names) {
    return sans(List.of(names));
  }

  /** Removes the subjectAltName extension (a CN-only certificate). */
  public CertificateBuilder noSans() {
    return sans(List.of());
  }

  /** The validity period; either end may lie in the past or the future. */
  public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
    return this;
  }

  /** A fresh EC P-256 key (the default). */
  public CertificateBuilder ecKey() {
    this.keyPair = null;
    this.rsaBits = 0;
    return this;
  }

  /**
   * An RSA key of {@code bits}. RSA keys are generated once per size and JVM and then reused, so
   * two certificates with the same RSA size share a key (and a pin); pass {@link #key(KeyPair)} for
   * a distinct one.
   */
  public CertificateBuilder rsaKey(int bits) {
    this.keyPair = null;
    this.rsaBits = bits;
    return this;
  }

  /** This exact key pair (any algorithm the JDK can put into a certificate). */
  public CertificateBuilder key(KeyPair keyPair) {
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    this.rsaBits = 0;
    return this;
  }

  /**
   * The JCA name of the issuer's signature algorithm, such as {@code SHA1withECDSA} or {@code
   * SHA256withRSA}. Default: SHA-256 with the issuer key's algorithm.
   */
  public CertificateBuilder signatureAlgorithm(String jcaName) {
    this.signatureAlgorithm = Objects.requireNonNull(jcaName, "jcaName");
    return this;
  }

  /** The serial number (any value, even zero or negative). Default: random, positive, 16 bytes. */
  public CertificateBuilder serial(BigInteger serial) {
    this.serial = Objects.requireNonNull(serial, "serial");
    return this;
  }

  /**
   * The issuing CA: its certificate is {@code issuer.certificate()}, its key signs, and its chain
   * (minus a self-issued anchor) is appended to the built chain.
   */
  public CertificateBuilder issuer(Credentials issuer) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.selfSigned = false;
    return this;
  }

  /** The issuing CA as certificate and key; nothing is appended to the built chain. */
  public CertificateBuilder issuer(X509Certificate certificate, PrivateKey key) {
    return issuer(new Credentials(key, List.of(certificate)));
  }

  /** Issued directly by the PKI's root. */
  public CertificateBuilder issuedByRoot() {
    return issuer(pki.rootCredentials());
  }

  /** Issued by the PKI's intermediate (the default for leaves). */
  public CertificateBuilder issuedByIntermediate() {
    return issuer(pki.intermediateCredentials());
  }

  /** Signed with its own key, issuer name = subject name. */
  public CertificateBuilder selfSigned() {
    this.issuer = null;
    this.selfSigned = true;
    return this;
  }

  /** Replaces the extended key usage extension (non-critical) with these purposes. */
  public CertificateBuilder extendedKeyUsage(KeyPurposeId... purposes) {
    return extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
  }

  /** Replaces the key usage extension (critical); bits are {@link KeyUsage} constants or-ed. */
  public CertificateBuilder keyUsage(int usage) {
    return extension(Extension.keyUsage, true, new KeyUsage(usage));
  }

  /** Replaces basicConstraints (critical) with {@code cA = ca} and no path length. */
  public CertificateBuilder basicConstraints(boolean ca) {
    return extension(Extension.basicConstraints, true, new BasicConstraints(ca));
  }

  /** Replaces basicConstraints (critical) with {@code cA = true} and this path length. */
  public CertificateBuilder basicConstraints(int pathLength) {
    return extension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
  }

  /** Adds or replaces (same OID) an extension. */
  public CertificateBuilder extension(Extension extension) {
    Objects.requireNonNull(extension, "extension");
    extensions.put(extension.getExtnId(), extension);
    return this;
  }

  /** Adds or replaces (same OID) an extension with this value. */
  public CertificateBuilder extension(
      ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      return extension(
          new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces the authorityInfoAccess extension with these OCSP responder URLs (for example {@link
   * OcspResponder#url()}); no URL removes it.
   */
  public CertificateBuilder ocsp(String... responderUrls) {
    if (responderUrls.length == 0) {
      extensions.remove(Extension.authorityInfoAccess);
      return this;
    }
    AccessDescription[] descriptions = new AccessDescription[responderUrls.length];
    for (int i = 0; i < responderUrls.length; i++) {
      descriptions[i] =
          new AccessDescription(
              AccessDescription.id_ad_ocsp,
              new GeneralName(
                  GeneralName.uniformResourceIdentifier,
                  Objects.requireNonNull(responderUrls[i], "responderUrl")));
    }
    return extension(
        Extension.authorityInfoAccess, false, new AuthorityInformationAccess(descriptions));
  }

  /**
   * Replaces the cRLDistributionPoints extension with one full-name point per URL (for example
   * {@link CrlServer#url()}); no URL removes it.
   */
  public CertificateBuilder crlDistributionPoint(String... crlUrls) {
    if (crlUrls.length == 0) {
      extensions.remove(Extension.cRLDistributionPoints);
      return this;
    }
    DistributionPoint[] points = new DistributionPoint[crlUrls.length];
    for (int i = 0; i < crlUrls.length; i++) {
      points[i] =
          new DistributionPoint(
              new DistributionPointName(
                  new GeneralNames(
                      new GeneralName(
                          GeneralName.uniformResourceIdentifier,
                          Objects.requireNonNull(crlUrls[i], "crlUrl")))),
              null,
              null);
    }
    return extension(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
  }

  /**
   * Adds the TLS feature extension (RFC 7633, OID 1.3.6.1.5.5.7.1.24) with status_request (5):
   * "must-staple". A client must refuse this certificate unless the server staples an OCSP
   * response.
   */
  public CertificateBuilder mustStaple() {
    return extension(
        TLS_FEATURE, false, new DERSequence(new ASN1Integer(STATUS_REQUEST)));
  }

  /**
   * Removes an extension, including the computed subject and authority key identifiers ({@link
   * Extension#subjectKeyIdentifier}, {@link Extension#authorityKeyIdentifier}).
   */
  public CertificateBuilder removeExtension(ASN1ObjectIdentifier oid) {
    Objects.requireNonNull(oid, "oid");
    extensions.remove(oid);
    if (oid.equals(Extension.subjectKeyIdentifier)) {
      subjectKeyIdentifier = false;
    } else if (oid.equals(Extension.authorityKeyIdentifier)) {
      authorityKeyIdentifier = false;
    }
    return this;
  }

  /**
   * Generates the key (unless given), signs the certificate and returns it with its chain: the new
   * certificate, then the issuer's chain without a self-issued anchor.
   */
  public Credentials build() {
    KeyPair subjectKeys =
        keyPair != null ? keyPair : rsaBits > 0 ? Keys.cachedRsa(rsaBits) : Keys.ecP256();
    @Nullable Credentials issuing = selfSigned ? null : issuer != null ? issuer : defaultIssuer();
    X500Name issuerName =
        issuing == null
            ? subject
            : X500Name.getInstance(issuing.certificate().getSubjectX500Principal().getEncoded());
    PrivateKey signingKey = issuing == null ? subjectKeys.getPrivate() : issuing.key();
    PublicKey issuerPublicKey =
        issuing == null ? subjectKeys.getPublic() : issuing.certificate().getPublicKey();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              serial != null ? serial : TestPki.randomSerial(),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKeys.getPublic());
      if (subjectKeyIdentifier && !extensions.containsKey(Extension.subjectKeyIdentifier)) {
        builder.addExtension(
            Extension.subjectKeyIdentifier,
            false,
            utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      }
      if (authorityKeyIdentifier
          && issuing != null
          && !extensions.containsKey(Extension.authorityKeyIdentifier)) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            utils.createAuthorityKeyIdentifier(issuerPublicKey));
      }
      for (Extension extension : extensions.values()) {
        builder.addExtension(extension);
      }
      String algorithm =
          signatureAlgorithm != null ? signatureAlgorithm : defaultSignatureAlgorithm(signingKey);
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder(algorithm)
                          .setProvider(Bc.provider())
                          .build(signingKey)));
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      if (issuing != null) {
        for (X509Certificate above : issuing.chain()) {
          if (!above.getSubjectX500Principal().equals(above.getIssuerX500Principal())) {
            chain.add(above);
          }
        }
      }
      return new Credentials(subjectKeys.getPrivate(), chain);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build certificate " + subject, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Credentials defaultIssuer() {
    return ca ? pki.rootCredentials() : pki.intermediateCredentials();
  }

  private static String defaultSignatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new IllegalArgumentException(
            "no default signature algorithm for a "
                + key.getAlgorithm()
                + " issuer key; call signatureAlgorithm(...)");
    }
  }

  private static GeneralName generalName(Object name) {
    if (name instanceof GeneralName) {
      return (GeneralName) name;
    }
    if (!(name instanceof String)) {
      throw new IllegalArgumentException(
          "a SAN is a GeneralName or a String like DNS:host, not " + name.getClass().getName());
    }
    String text = (String) name;
    int colon = text.indexOf(':');
    String kind = colon > 0 ? text.substring(0, colon) : "";
    String value = text.substring(colon + 1);
    switch (kind.toUpperCase(java.util.Locale.ROOT)) {
      case "DNS":
        return new GeneralName(GeneralName.dNSName, value);
      case "IP":
        return new GeneralName(GeneralName.iPAddress, value);
      case "URI":
        return new GeneralName(GeneralName.uniformResourceIdentifier, value);
      case "EMAIL":
        return new GeneralName(GeneralName.rfc822Name, value);
      default:
        throw new IllegalArgumentException(
            "SAN '" + text + "' must start with DNS:, IP:, URI: or EMAIL:");
    }
  }
}
