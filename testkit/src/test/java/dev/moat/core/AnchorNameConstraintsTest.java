package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

/**
 * The name constraints of a trust anchor on forms other than DNS and IP (directoryName, URI,
 * rfc822Name, otherName). The JDK validator never sees an anchor's constraints, so Moat enforces
 * them: what mutual TLS authorises by (subject DN, SPIFFE URI) must not escape a constrained
 * client root.
 */
class AnchorNameConstraintsTest {
  static final TestPki PKI = TestPki.create("localhost");
  private static final AtomicInteger ROOTS = new AtomicInteger();
  /** Microsoft UPN, a common otherName. */
  private static final ASN1ObjectIdentifier UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

  static final NameConstraints GOOD_CORP = new NameConstraints(
      new GeneralSubtree[] {
        new GeneralSubtree(new GeneralName(new X500Name("O=Good Corp"))),
        new GeneralSubtree(new GeneralName(GeneralName.uniformResourceIdentifier, "good.example")),
      },
      null);

  static Credentials constrainedRoot(NameConstraints nc) {
    return PKI.caBuilder().subject("O=Good Corp, CN=Constrained Client Root " + ROOTS.incrementAndGet())
        .selfSigned().extension(Extension.nameConstraints, true, nc).build();
  }

  /** An issuing CA inside O=Good Corp under {@code root}. */
  static Credentials issuingCa(Credentials root) {
    return PKI.caBuilder().subject("O=Good Corp, CN=Issuing CA " + ROOTS.incrementAndGet()).issuer(root).build();
  }

  static TlsRefusalException refusedClient(TlsPolicy policy, Credentials client) {
    Throwable t = catchThrowable(() -> policy.verifyClient(client.chain(), "127.0.0.1"));
    assertThat(t).isInstanceOf(TlsRefusalException.class);
    TlsRefusalException e = (TlsRefusalException) t;
    assertThat(e.check()).as(e.getMessage()).isEqualTo(Check.NAME_CONSTRAINTS);
    return e;
  }

  @Test
  void anchorDnAndUriConstraints_clientOutsideBoth_refused() {
    Credentials root = constrainedRoot(GOOD_CORP);
    Credentials client = PKI.leafBuilder().subject("CN=admin, O=Evil Corp").issuer(root)
        .sans("URI:spiffe://evil.example/admin").build();
    TlsRefusalException e = refusedClient(TlsPolicy.builder().trustRoot(root.certificate()).build(), client);
    assertThat(e.reason()).contains("trust anchor").contains("Evil Corp");
    assertThat(e.getMessage()).contains("directoryName:O=Good Corp").contains("URI:good.example");
  }

  @Test
  void anchorUriConstraint_spiffeIdOutside_refusedEvenWithAGoodSubject() {
    Credentials root = constrainedRoot(GOOD_CORP);
    Credentials client = PKI.leafBuilder().subject("O=Good Corp, CN=admin").issuer(issuingCa(root))
        .sans("URI:spiffe://evil.example/admin").build();
    TlsRefusalException e = refusedClient(TlsPolicy.builder().trustRoot(root.certificate()).build(), client);
    assertThat(e.reason()).contains("URI 'spiffe://evil.example/admin'");
  }

  @Test
  void anchorDnConstraint_intermediateOutside_refused() {
    Credentials root = constrainedRoot(GOOD_CORP);
    Credentials evilCa = PKI.caBuilder().subject("O=Evil Corp, CN=Evil CA").issuer(root).build();
    Credentials client = PKI.leafBuilder().subject("O=Good Corp, CN=alice").issuer(evilCa)
        .sans("URI:spiffe://good.example/alice").build();
    TlsRefusalException e = refusedClient(TlsPolicy.builder().trustRoot(root.certificate()).build(), client);
    assertThat(e.reason()).contains("subject name of 'CN=Evil CA,O=Evil Corp'");
  }

  @Test
  void anchorDnAndUriConstraints_clientInside_accepted() {
    Credentials root = constrainedRoot(GOOD_CORP);
    Credentials client = PKI.leafBuilder().subject("O=Good Corp, CN=alice").issuer(issuingCa(root))
        .sans("URI:spiffe://good.example/alice").build();
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root.certificate()).build();
    assertThatCode(() -> policy.verifyClient(client.chain(), "127.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void sameConstraintsOnAnIntermediate_clientOutside_refused() {
    Credentials top = PKI.caBuilder().subject("CN=Top " + ROOTS.incrementAndGet()).selfSigned().build();
    Credentials ca = PKI.caBuilder().subject("O=Good Corp, CN=Constrained CA").issuer(top)
        .extension(Extension.nameConstraints, true, GOOD_CORP).build();
    Credentials client = PKI.leafBuilder().subject("CN=admin, O=Evil Corp").issuer(ca)
        .sans("URI:spiffe://evil.example/admin").build();
    refusedClient(TlsPolicy.builder().trustRoot(top.certificate()).build(), client);
  }

  @Test
  void anchorRfc822Exclusion_emailInSanOrSubject_refused() {
    Credentials root = constrainedRoot(new NameConstraints(null,
        new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, "evil.example"))}));
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root.certificate()).build();
    Credentials inSan = PKI.leafBuilder().subject("O=Good Corp, CN=mallory").issuer(root)
        .sans("EMAIL:mallory@evil.example").build();
    assertThat(refusedClient(policy, inSan).reason()).contains("e-mail address 'mallory@evil.example'");
    Credentials inSubject = PKI.leafBuilder()
        .subject("O=Good Corp, CN=mallory, E=mallory@evil.example").issuer(root).build();
    refusedClient(policy, inSubject);
    Credentials fine = PKI.leafBuilder().subject("O=Good Corp, CN=alice").issuer(root)
        .sans("EMAIL:alice@good.example").build();
    assertThatCode(() -> policy.verifyClient(fine.chain(), "127.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void anchorOtherNameConstraint_certificateWithAnOtherName_refusedAsUncheckable() {
    GeneralName upn = new GeneralName(GeneralName.otherName, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        UPN, new DERTaggedObject(true, 0, new DERUTF8String("admin@evil.example"))}));
    GeneralName permittedUpn = new GeneralName(GeneralName.otherName, new DERSequence(
        new org.bouncycastle.asn1.ASN1Encodable[] {UPN, new DERTaggedObject(true, 0, new DERUTF8String("good.example"))}));
    Credentials root = constrainedRoot(new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(permittedUpn)}, null));
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root.certificate()).build();
    Credentials withUpn = PKI.leafBuilder().subject("O=Good Corp, CN=admin").issuer(root)
        .sans(java.util.List.of(upn)).build();
    assertThat(refusedClient(policy, withUpn).reason()).contains("constrains otherName names, which Moat cannot check");
    Credentials withoutUpn = PKI.leafBuilder().subject("O=Good Corp, CN=alice").issuer(root)
        .sans("URI:spiffe://good.example/alice").build();
    assertThatCode(() -> policy.verifyClient(withoutUpn.chain(), "127.0.0.1")).doesNotThrowAnyException();
  }

  @Test
  void anchorDnsConstraintsOnly_serverCertificateWithAnyDn_accepted() {
    Credentials root = constrainedRoot(new NameConstraints(
        new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost"))}, null));
    Credentials leaf = PKI.leafBuilder().subject("CN=localhost, O=Anything").issuer(issuingCa(root))
        .sans("DNS:localhost", "URI:https://anything.example/").build();
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root.certificate()).build();
    assertThatCode(() -> policy.verifyServer(leaf.chain(), "localhost", 443, "https")).doesNotThrowAnyException();
  }
}
