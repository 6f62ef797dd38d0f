package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A commonName value that does not decode must not make the other CNs invisible to the CN rules
 * (name constraints of the anchor, CN among the SANs): the certificate is refused as MALFORMED.
 */
class SubjectDecodingTest {
  private static final TestPki PKI = TestPki.create("api.good.example");
  private static final Credentials ROOT = PKI.caBuilder().subject("CN=Constrained Root").selfSigned()
      .extension(Extension.nameConstraints, true, new NameConstraints(
          new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "good.example"))},
          null))
      .build();
  private static final TlsPolicy POLICY =
      TlsPolicy.builder().trustRoot(ROOT.certificate()).revocation(Revocation.off()).build();

  static List<ASN1Encodable> undecodableValues() {
    return List.of(
        new DERUniversalString(new byte[] {0x00, 0x11, 0x00, 0x00}), // beyond U+10FFFF
        new DERUniversalString(new byte[] {0x00, 0x00, 0x41}), // not a multiple of 4
        new ASN1Integer(7)); // not a character string at all
  }

  private static X509Certificate leaf(ASN1Encodable secondCn) {
    X500Name subject = new X500Name(new RDN[] {
        new RDN(new AttributeTypeAndValue(BCStyle.CN, new DERPrintableString("evil.attacker.com"))),
        new RDN(new AttributeTypeAndValue(BCStyle.CN, secondCn))});
    return PKI.leafBuilder().subject(subject).sans("DNS:api.good.example").issuer(ROOT).build().certificate();
  }

  @Test
  void verify_cnOutsideAnchorConstraints_refusedAsNameConstraints() {
    X509Certificate plain = PKI.leafBuilder().subject("CN=evil.attacker.com").sans("DNS:api.good.example")
        .issuer(ROOT).build().certificate();
    assertThatThrownBy(() -> POLICY.verifyServer(List.of(plain), "api.good.example", 443, "https"))
        .isInstanceOfSatisfying(TlsRefusalException.class, e -> assertThat(e.check()).isEqualTo(Check.NAME_CONSTRAINTS));
  }

  @ParameterizedTest
  @MethodSource("undecodableValues")
  void verify_secondCnThatDoesNotDecode_refusedAsMalformedForServerAndClient(ASN1Encodable value) {
    X509Certificate c = leaf(value);
    assertThatThrownBy(() -> POLICY.verifyServer(List.of(c), "api.good.example", 443, "https"))
        .isInstanceOfSatisfying(TlsRefusalException.class, e -> {
          assertThat(e.check()).isEqualTo(Check.MALFORMED);
          assertThat(e.getMessage()).contains("does not decode");
        });
    assertThatThrownBy(() -> POLICY.verifyClient(List.of(c), "client"))
        .isInstanceOfSatisfying(TlsRefusalException.class, e -> assertThat(e.check()).isEqualTo(Check.MALFORMED));
  }
}
