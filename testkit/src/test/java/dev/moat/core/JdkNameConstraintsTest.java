package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

/**
 * Why Moat enforces anchor name constraints itself: what the JDK's PKIX validator does with them.
 * If a JDK update changes this, the test says so.
 */
class JdkNameConstraintsTest {
  static final TestPki PKI = TestPki.create("localhost");

  @Test
  void jdkValidator_anchorWithNameConstraints_notSupported_andJsseDropsThem() throws Exception {
    Credentials root = PKI.caBuilder().subject("CN=JDK NC Root").selfSigned().extension(Extension.nameConstraints,
        true, new NameConstraints(new GeneralSubtree[] {
            new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"))}, null)).build();
    Credentials intermediate = PKI.caBuilder().issuer(root).build();
    Credentials outside = PKI.leafBuilder().issuer(intermediate).build(); // localhost: outside example.com
    var path = CertificateFactory.getInstance("X.509").generateCertPath(outside.chain());
    byte[] nc = ASN1OctetString.getInstance(root.certificate().getExtensionValue("2.5.29.30")).getOctets();

    // Given the constraints, the JDK refuses to validate at all, even names inside them.
    PKIXParameters withNc = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), nc)));
    withNc.setRevocationEnabled(false);
    assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(path, withNc))
        .isInstanceOf(java.security.InvalidAlgorithmParameterException.class)
        .hasMessageContaining("name constraints in trust anchor not supported");

    // As JSSE builds anchors (no constraints), the out-of-constraint leaf validates.
    PKIXParameters asJsse = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
    asJsse.setRevocationEnabled(false);
    assertThat(CertPathValidator.getInstance("PKIX").validate(path, asJsse)).isNotNull();

    // Moat refuses it.
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root.certificate()).build();
    assertThatThrownBy(() -> policy.verifyServer(outside.chain(), "localhost", 443, "https"))
        .isInstanceOfSatisfying(TlsRefusalException.class,
            e -> assertThat(e.check()).isEqualTo(Check.NAME_CONSTRAINTS));
  }
}
