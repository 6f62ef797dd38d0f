package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules stricter than the JDK's PKIX (issue 2), each with a case that passes and one that is
 * refused with its typed reason, through {@link TlsPolicy#verifyServer}: the same pipeline as a
 * handshake, without the sockets.
 */
class StrictProfileTest {
  static final TestPki PKI = TestPki.create("localhost");
  private static final AtomicInteger ROOTS = new AtomicInteger();

  static TlsPolicy strict() {
    return TlsPolicy.builder().trustRoot(PKI.root()).build();
  }

  static void accepted(TlsPolicy policy, Credentials c, String host) {
    assertThatCode(() -> policy.verifyServer(c.chain(), host, 443, "https")).doesNotThrowAnyException();
  }

  static TlsRefusalException refused(TlsPolicy policy, Credentials c, String host, Check check) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        () -> policy.verifyServer(c.chain(), host, 443, "https"));
    assertThat(t).isInstanceOf(TlsRefusalException.class);
    TlsRefusalException e = (TlsRefusalException) t;
    assertThat(e.check()).as(e.getMessage()).isEqualTo(check);
    return e;
  }

  static GeneralSubtree dns(String name) {
    return new GeneralSubtree(new GeneralName(GeneralName.dNSName, name));
  }

  static GeneralSubtree ip(String cidr) {
    return new GeneralSubtree(new GeneralName(GeneralName.iPAddress, cidr));
  }

  static Credentials root(ASN1Encodable nameConstraints) {
    return PKI.caBuilder().subject("CN=Constrained Root " + ROOTS.incrementAndGet() + ", O=Moat test")
        .selfSigned().extension(Extension.nameConstraints, true, nameConstraints).build();
  }

  /** Leaf (CN = first name) issued by an intermediate under {@code root}; chain leaf, intermediate. */
  static Credentials leafUnder(Credentials root, String... sans) {
    Credentials intermediate = PKI.caBuilder().issuer(root).build();
    String cn = sans[0].substring(sans[0].indexOf(':') + 1);
    return PKI.leafBuilder().issuer(intermediate).commonName(cn).sans(sans).build();
  }

  static TlsPolicy trusting(Credentials root) {
    return TlsPolicy.builder().trustRoot(root.certificate()).build();
  }

  @Nested
  class NameConstraintsOfTheAnchor {
    final Credentials root = root(new NameConstraints(
        new GeneralSubtree[] {dns("example.com"), ip("10.0.0.0/255.0.0.0")}, null));

    @Test
    void dnsNameInsidePermittedSubtree_accepted() {
      accepted(trusting(root), leafUnder(root, "DNS:www.example.com"), "www.example.com");
    }

    @Test
    void dnsNameOutsidePermittedSubtree_refused() {
      TlsRefusalException e = refused(trusting(root), leafUnder(root, "DNS:www.example.org"), "www.example.org",
          Check.NAME_CONSTRAINTS);
      assertThat(e.reason()).contains("DNS name 'www.example.org'").contains("outside every permitted DNS subtree")
          .contains("trust anchor");
    }

    @Test
    void ipInsidePermittedRange_accepted() {
      accepted(trusting(root), leafUnder(root, "IP:10.1.2.3"), "10.1.2.3");
    }

    @Test
    void ipOutsidePermittedRange_refused() {
      refused(trusting(root), leafUnder(root, "IP:127.0.0.1", "DNS:www.example.com"), "127.0.0.1",
          Check.NAME_CONSTRAINTS);
    }

    @Test
    void subjectCnOutsideConstraints_refusedEvenWhenSansAreInside() {
      Credentials intermediate = PKI.caBuilder().issuer(root).build();
      Credentials leaf = PKI.leafBuilder().issuer(intermediate).commonName("evil.example.org")
          .sans("DNS:www.example.com").build();
      TlsRefusalException e = refused(trusting(root), leaf, "www.example.com", Check.NAME_CONSTRAINTS);
      assertThat(e.reason()).contains("evil.example.org");
    }

    @Test
    void wildcardInsidePermittedSubtree_accepted() {
      accepted(trusting(root), leafUnder(root, "DNS:*.example.com"), "a.example.com");
    }
  }

  @Nested
  class ExcludedSubtrees {
    final Credentials root = root(new NameConstraints(null, new GeneralSubtree[] {dns("secret.example.com")}));

    @Test
    void wildcardCoveringAnExcludedName_refused() {
      TlsRefusalException e = refused(trusting(root), leafUnder(root, "DNS:*.example.com"), "www.example.com",
          Check.NAME_CONSTRAINTS);
      assertThat(e.reason()).contains("the wildcard matches names in the excluded subtree 'secret.example.com'");
    }

    @Test
    void wildcardBesideTheExcludedName_accepted() {
      accepted(trusting(root), leafUnder(root, "DNS:*.public.example.com"), "a.public.example.com");
    }

    @Test
    void nameBelowExcludedSubtree_refused() {
      refused(trusting(root), leafUnder(root, "DNS:db.secret.example.com"), "db.secret.example.com",
          Check.NAME_CONSTRAINTS);
    }
  }

  @Nested
  class NameConstraintsOfAnIntermediate {
    @Test
    void nameOutsideIntermediateConstraints_refused_insideAccepted() {
      Credentials intermediate = PKI.caBuilder().extension(Extension.nameConstraints, true,
          new NameConstraints(new GeneralSubtree[] {dns(".internal.example")}, null)).build();
      Credentials inside = PKI.leafBuilder().issuer(intermediate).commonName("db.internal.example")
          .sans("DNS:db.internal.example").build();
      Credentials outside = PKI.leafBuilder().issuer(intermediate).commonName("localhost").sans("DNS:localhost").build();
      accepted(strict(), inside, "db.internal.example");
      refused(strict(), outside, "localhost", Check.NAME_CONSTRAINTS);
    }

    @Test
    void nameConstraintsInAnEndEntity_refused() {
      Credentials leaf = PKI.leafBuilder().extension(Extension.nameConstraints, false,
          new NameConstraints(new GeneralSubtree[] {dns("localhost")}, null)).build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.NAME_CONSTRAINTS);
      assertThat(e.reason()).contains("end-entity certificate").contains("only in CA certificates");
    }

    @Test
    void malformedConstraints_eachRefused() {
      List<ASN1Encodable> malformed = List.of(
          new DERSequence(), // neither permitted nor excluded
          new DERSequence(new DERTaggedObject(false, 0, new DERSequence())), // empty permitted list
          new NameConstraints(new GeneralSubtree[] {dns("*.example.com")}, null),
          new NameConstraints(new GeneralSubtree[] {dns("under_score.example.com")}, null),
          new NameConstraints(null, new GeneralSubtree[] {dns("a..example.com")}),
          new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(
              new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {10, 0, 0, 0, -1})))}, null),
          new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(
              new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {10, 0, 0, 0, -1, 0, -1, 0})))}, null),
          new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(
              new GeneralName(GeneralName.dNSName, "example.com"), BigInteger.ONE, null)}, null));
      for (ASN1Encodable nc : malformed) {
        // non-critical, so that the JDK's own parser lets the certificate through to Moat
        Credentials intermediate = PKI.caBuilder().extension(Extension.nameConstraints, false, nc).build();
        Credentials leaf = PKI.leafBuilder().issuer(intermediate).build();
        TlsRefusalException e = refused(strict(), leaf, "localhost", Check.NAME_CONSTRAINTS);
        assertThat(e.reason()).contains("nameConstraints extension");
      }
    }

    @Test
    void wellFormedLeadingDotAndEmptyDnsExclusion_accepted() {
      Credentials intermediate = PKI.caBuilder().extension(Extension.nameConstraints, true,
          new NameConstraints(new GeneralSubtree[] {dns("localhost"), ip("127.0.0.0/8"), ip("::1/128")},
              new GeneralSubtree[] {dns(".localhost")})).build();
      accepted(strict(), PKI.leafBuilder().issuer(intermediate).build(), "localhost");
    }
  }

  @Nested
  class TrustAnchorsMustBeProperCas {
    Credentials withIntermediateAndLeaf(Credentials root) {
      Credentials intermediate = PKI.caBuilder().issuer(root).build();
      return PKI.leafBuilder().issuer(intermediate).build();
    }

    Credentials root(java.util.function.UnaryOperator<dev.moat.testkit.CertificateBuilder> change) {
      return change.apply(PKI.caBuilder().subject("CN=Odd Root " + ROOTS.incrementAndGet()).selfSigned()).build();
    }

    @Test
    void properRoot_accepted() {
      Credentials root = root(b -> b);
      accepted(trusting(root), withIntermediateAndLeaf(root), "localhost");
    }

    @Test
    void rootWithoutBasicConstraints_refused_unlessRelaxed() {
      Credentials root = root(b -> b.removeExtension(Extension.basicConstraints));
      refused(trusting(root), withIntermediateAndLeaf(root), "localhost", Check.BASIC_CONSTRAINTS);
      accepted(trusting(root).toBuilder().relax("localhost", ProfileRule.ANCHOR_IS_CA).build(),
          withIntermediateAndLeaf(root), "localhost");
    }

    @Test
    void rootWithNonCriticalBasicConstraints_refused_unlessRelaxed() {
      Credentials root = root(b -> b.extension(Extension.basicConstraints, false,
          new org.bouncycastle.asn1.x509.BasicConstraints(true)));
      TlsRefusalException e = refused(trusting(root), withIntermediateAndLeaf(root), "localhost",
          Check.BASIC_CONSTRAINTS);
      assertThat(e.reason()).contains("does not mark basicConstraints critical");
      accepted(trusting(root).toBuilder().relax("localhost", ProfileRule.ANCHOR_IS_CA).build(),
          withIntermediateAndLeaf(root), "localhost");
    }

    @Test
    void caRootWithoutKeyCertSign_refused() {
      Credentials root = root(b -> b.keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign));
      refused(trusting(root), withIntermediateAndLeaf(root), "localhost", Check.KEY_USAGE);
    }

    @Test
    void rootWithUnknownCriticalExtension_refused() {
      Credentials root = root(b -> b.extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), true, DERNull.INSTANCE));
      TlsRefusalException e = refused(trusting(root), withIntermediateAndLeaf(root), "localhost",
          Check.CERTIFICATE_PROFILE);
      assertThat(e.reason()).contains("trust anchor").contains("1.3.6.1.4.1.55555.1");
    }

    @Test
    void weakRsaRoot_refused_evenWhenAnchorRulesAreRelaxed() {
      Credentials root = root(b -> b.rsaKey(1024));
      TlsPolicy relaxed = trusting(root).toBuilder().relax("localhost", ProfileRule.ANCHOR_IS_CA).build();
      TlsRefusalException e = refused(relaxed, withIntermediateAndLeaf(root), "localhost", Check.KEY_STRENGTH);
      assertThat(e.reason()).contains("trust anchor").contains("1024-bit RSA");
    }

    @Test
    void dsaRoot_refused() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("DSA");
      g.initialize(2048);
      KeyPair dsa = g.generateKeyPair();
      Credentials root = root(b -> b.key(dsa).signatureAlgorithm("SHA256withDSA"));
      Credentials intermediate = PKI.caBuilder().issuer(root).signatureAlgorithm("SHA256withDSA").build();
      Credentials leaf = PKI.leafBuilder().issuer(intermediate).build();
      TlsRefusalException e = refused(trusting(root), leaf, "localhost", Check.KEY_STRENGTH);
      assertThat(e.reason()).contains("DSA");
    }
  }

  @Nested
  class LeafIsCa {
    @Test
    void caCertificateAsLeaf_refused() {
      Credentials ca = PKI.caBuilder().issuer(PKI.intermediateCredentials()).commonName("localhost")
          .sans("DNS:localhost").extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
      TlsRefusalException e = refused(strict(), ca, "localhost", Check.LEAF_IS_CA);
      assertThat(e.reason()).contains("basicConstraints CA:TRUE");
    }

    @Test
    void keyCertSignOnALeaf_refused() {
      Credentials leaf = PKI.leafBuilder().keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.LEAF_IS_CA);
      assertThat(e.reason()).contains("keyUsage keyCertSign");
    }

    @Test
    void endEntityLeaf_accepted() {
      accepted(strict(), PKI.goodChain(), "localhost");
    }
  }

  @Nested
  class KeyIdentifiers {
    @Test
    void leafWithoutAuthorityKeyIdentifier_refused_unlessRelaxed() {
      Credentials leaf = PKI.leafBuilder().removeExtension(Extension.authorityKeyIdentifier).build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
      assertThat(e.reason()).contains("no authorityKeyIdentifier");
      accepted(strict().toBuilder().relax("localhost", ProfileRule.KEY_IDENTIFIERS).build(), leaf, "localhost");
    }

    @Test
    void intermediateWithoutSubjectKeyIdentifier_refused() {
      Credentials intermediate = PKI.caBuilder().removeExtension(Extension.subjectKeyIdentifier).build();
      Credentials leaf = PKI.leafBuilder().issuer(intermediate).build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
      assertThat(e.reason()).contains("no subjectKeyIdentifier");
    }

    @Test
    void criticalKeyIdentifiers_refused() throws Exception {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      Credentials criticalAki = PKI.leafBuilder().extension(Extension.authorityKeyIdentifier, true,
          utils.createAuthorityKeyIdentifier(PKI.intermediate().getPublicKey())).build();
      assertThat(refused(strict(), criticalAki, "localhost", Check.CERTIFICATE_PROFILE).reason())
          .contains("marks its authorityKeyIdentifier critical");
      Credentials criticalSki = PKI.leafBuilder().extension(Extension.subjectKeyIdentifier, true,
          new DEROctetString(new byte[20])).build();
      assertThat(refused(strict(), criticalSki, "localhost", Check.CERTIFICATE_PROFILE).reason())
          .contains("marks its subjectKeyIdentifier critical");
    }

    @Test
    void leafWithoutSubjectKeyIdentifier_accepted() {
      accepted(strict(), PKI.leafBuilder().removeExtension(Extension.subjectKeyIdentifier).build(), "localhost");
    }
  }

  @Nested
  class ExtendedKeyUsagePerBaselineRequirements {
    TlsPolicy relaxed() {
      return strict().toBuilder().relax("localhost", ProfileRule.SERVER_EKU_PROFILE).build();
    }

    @Test
    void serverAuth_accepted() {
      accepted(strict(), PKI.leafBuilder().extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build(), "localhost");
    }

    @Test
    void noExtendedKeyUsage_refused_unlessRelaxed() {
      Credentials leaf = PKI.leafBuilder().removeExtension(Extension.extendedKeyUsage).build();
      refused(strict(), leaf, "localhost", Check.EXTENDED_KEY_USAGE);
      accepted(relaxed(), leaf, "localhost");
    }

    @Test
    void anyExtendedKeyUsageAlone_refused_unlessRelaxed() {
      Credentials leaf = PKI.leafBuilder().extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage).build();
      refused(strict(), leaf, "localhost", Check.EXTENDED_KEY_USAGE);
      accepted(relaxed(), leaf, "localhost");
    }

    @Test
    void criticalExtendedKeyUsage_refused() {
      Credentials leaf = PKI.leafBuilder().extension(Extension.extendedKeyUsage, true,
          new org.bouncycastle.asn1.x509.ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)).build();
      assertThat(refused(strict(), leaf, "localhost", Check.EXTENDED_KEY_USAGE).reason()).contains("critical");
    }

    @Test
    void clientAuthOnly_refusedEvenWhenRelaxed() {
      refused(relaxed(), PKI.noServerAuthLeaf(), "localhost", Check.EXTENDED_KEY_USAGE);
    }
  }

  @Nested
  class SubjectCnAmongTheSans {
    @Test
    void cnNotAmongSans_refused_unlessRelaxed() {
      Credentials leaf = PKI.leafBuilder().commonName("other.example.com").build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
      assertThat(e.reason()).contains("subject CN 'other.example.com'").contains("not one of its subjectAltName");
      accepted(strict().toBuilder().relax("localhost", ProfileRule.SUBJECT_CN_IN_SAN).build(), leaf, "localhost");
    }

    @Test
    void cnInOtherCaseOrAsIpOrAbsent_accepted() {
      accepted(strict(), PKI.leafBuilder().commonName("LocalHost").build(), "localhost");
      accepted(strict(), PKI.leafBuilder().commonName("127.0.0.1").build(), "localhost");
      accepted(strict(), PKI.leafBuilder().subject("O=No CN").build(), "localhost");
    }
  }

  @Nested
  class SerialNumbers {
    @Test
    void zeroNegativeOrLongerThan20Octets_refused_unlessRelaxed() {
      byte[] twenty = new byte[20];
      java.util.Arrays.fill(twenty, (byte) 0xff);
      for (BigInteger serial : List.of(BigInteger.ZERO, BigInteger.valueOf(-5), new BigInteger(1, twenty))) {
        Credentials leaf = PKI.leafBuilder().serial(serial).build();
        TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
        assertThat(e.reason()).contains("serial number " + serial.toString(16));
        accepted(strict().toBuilder().relax("localhost", ProfileRule.SERIAL_NUMBER).build(), leaf, "localhost");
      }
    }

    @Test
    void twentyOctets_accepted() {
      byte[] twenty = new byte[20];
      java.util.Arrays.fill(twenty, (byte) 0x7f);
      accepted(strict(), PKI.leafBuilder().serial(new BigInteger(1, twenty)).build(), "localhost");
      accepted(strict(), PKI.leafBuilder().serial(BigInteger.ONE).build(), "localhost");
    }
  }

  @Nested
  class RsaModulusLength {
    @Test
    void modulusNotAMultipleOf8Bits_refused() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2052);
      KeyPair odd = g.generateKeyPair();
      assertThat(((RSAPublicKey) odd.getPublic()).getModulus().bitLength()).isEqualTo(2052);
      TlsRefusalException e = refused(strict(), PKI.leafBuilder().key(odd).build(), "localhost", Check.KEY_STRENGTH);
      assertThat(e.reason()).contains("RSA modulus of 2052 bits");
    }

    @Test
    void rsa2048_accepted() {
      accepted(strict(), PKI.leafBuilder().rsaKey(2048).build(), "localhost");
    }
  }

  @Nested
  class WildcardsOnPublicSuffixes {
    @Test
    void wildcardOverIcannSuffix_refused_unlessRelaxed() {
      Credentials leaf = PKI.leafBuilder().sans("DNS:localhost", "DNS:*.co.uk").build();
      TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
      assertThat(e.reason()).contains("'*.co.uk'").contains("public suffix 'co.uk'");
      accepted(strict().toBuilder().relax("localhost", ProfileRule.NO_PUBLIC_SUFFIX_WILDCARD).build(), leaf,
          "localhost");
      refused(strict(), PKI.leafBuilder().sans("DNS:localhost", "DNS:*.com").build(), "localhost",
          Check.CERTIFICATE_PROFILE);
    }

    @Test
    void wildcardOverRegisteredOrPrivateSectionDomain_accepted() {
      accepted(strict(), PKI.leafBuilder().commonName("*.example.co.uk").sans("DNS:*.example.co.uk").build(),
          "a.example.co.uk");
      accepted(strict(), PKI.leafBuilder().commonName("*.github.io").sans("DNS:*.github.io").build(),
          "moat.github.io");
    }

    @Test
    void wildcardOnTopLevelDomain_neverMatches() {
      refused(strict(), PKI.leafBuilder().commonName("example.com").sans("DNS:*.com").build(), "example.com",
          Check.HOSTNAME);
    }
  }

  @Nested
  class SubjectAltNameSyntax {
    @Test
    void malformedDnsNames_eachRefused() {
      for (String bad : List.of("my_host.example.com", "*.*.example.com", "f*.example.com", ".example.com",
          "a..example.com", "-a.example.com", "b\u00fccher.example")) {
        Credentials leaf = PKI.leafBuilder().sans("DNS:localhost", "DNS:" + bad).build();
        TlsRefusalException e = refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE);
        assertThat(e.reason()).contains("has the DNS name");
      }
    }

    @Test
    void underscoreName_acceptedWhenRelaxed() {
      Credentials leaf = PKI.leafBuilder().commonName("my_host.example.com").sans("DNS:my_host.example.com").build();
      refused(strict(), leaf, "my_host.example.com", Check.CERTIFICATE_PROFILE);
      accepted(strict().toBuilder().relax("my_host.example.com", ProfileRule.SAN_SYNTAX).build(), leaf,
          "my_host.example.com");
    }

    @Test
    void criticalSanWithNonEmptySubject_refused() {
      Credentials leaf = PKI.leafBuilder().extension(Extension.subjectAlternativeName, true,
          new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"))).build();
      assertThat(refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE).reason())
          .contains("marks subjectAltName critical although its subject is not empty");
    }

    @Test
    void criticalSanWithEmptySubject_accepted() {
      Credentials leaf = PKI.leafBuilder().subject(new org.bouncycastle.asn1.x500.X500Name(new org.bouncycastle.asn1.x500.RDN[0]))
          .extension(Extension.subjectAlternativeName, true,
              new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"))).build();
      accepted(strict(), leaf, "localhost");
    }
  }

  @Nested
  class UnknownCriticalExtensions {
    @Test
    void precertificatePoison_refused() {
      Credentials leaf = PKI.leafBuilder().extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.3"), true,
          DERNull.INSTANCE).build();
      assertThat(refused(strict(), leaf, "localhost", Check.CERTIFICATE_PROFILE).reason())
          .contains("Certificate Transparency poison");
    }

    @Test
    void unknownNonCriticalExtension_accepted() {
      accepted(strict(), PKI.leafBuilder().extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.2"), false,
          new ASN1Integer(7)).build(), "localhost");
    }
  }
}
