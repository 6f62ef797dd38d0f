package dev.moat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.core.Pin;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final TestPki PKI = TestPki.shared();

  @Test
  void create_localhost_leafHasSansCnUsagesAndValidity() throws Exception {
    X509Certificate leaf = PKI.leaf();

    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(sans(leaf)).containsExactly("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(leaf.getNonCriticalExtensionOIDs()).contains(Extension.extendedKeyUsage.getId());
    assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getKeyUsage()[5]).as("keyCertSign").isFalse();
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    long days = (leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime()) / 86_400_000L;
    assertThat(days).isEqualTo(91);
    assertThat(leaf.getNotBefore()).isBefore(new Date());
  }

  @Test
  void create_otherHosts_noIpSansAndFirstHostIsCn() throws Exception {
    TestPki pki = TestPki.create("db.example.test", "db2.example.test");

    assertThat(pki.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=db.example.test");
    assertThat(sans(pki.leaf())).containsExactly("2:db.example.test", "2:db2.example.test");
  }

  @Test
  void create_noHost_refused() {
    assertThatThrownBy(TestPki::create).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rootAndIntermediate_areProperCas() throws Exception {
    for (X509Certificate ca : List.of(PKI.root(), PKI.intermediate())) {
      assertThat(ca.getBasicConstraints()).as("cA").isGreaterThanOrEqualTo(0);
      assertThat(ca.getCriticalExtensionOIDs())
          .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
      assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
      assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
      assertThat(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
      assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
      long days = (ca.getNotAfter().getTime() - ca.getNotBefore().getTime()) / 86_400_000L;
      assertThat(days).isEqualTo(3651);
    }
    PKI.root().verify(PKI.root().getPublicKey());
    PKI.intermediate().verify(PKI.root().getPublicKey());
    assertThat(PKI.intermediate().getExtensionValue(Extension.authorityKeyIdentifier.getId()))
        .isNotNull();
  }

  @Test
  void serials_positiveSixteenBytesAndDistinct() {
    List<BigInteger> serials =
        List.of(PKI.root(), PKI.intermediate(), PKI.leaf(), PKI.expiredLeaf().certificate())
            .stream()
            .map(X509Certificate::getSerialNumber)
            .collect(Collectors.toList());

    assertThat(serials).doesNotHaveDuplicates();
    for (BigInteger serial : serials) {
      assertThat(serial.signum()).isEqualTo(1);
      assertThat(serial.toByteArray()).hasSize(16);
    }
  }

  @Test
  void goodChain_validatesUpToRoot() throws Exception {
    assertThat(PKI.serverChain()).containsExactly(PKI.leaf(), PKI.intermediate());
    assertThat(PKI.goodChain().chain()).isEqualTo(PKI.serverChain());
    validate(PKI.goodChain().chain(), PKI.root());
  }

  @Test
  void expiredLeaf_notAfterInThePast() {
    X509Certificate leaf = PKI.expiredLeaf().certificate();
    assertThat(leaf.getNotAfter()).isBefore(new Date());
    assertThat(PKI.expiredLeaf()).isSameAs(PKI.expiredLeaf());
  }

  @Test
  void notYetValidLeaf_notBeforeInTheFuture() {
    assertThat(PKI.notYetValidLeaf().certificate().getNotBefore()).isAfter(new Date());
  }

  @Test
  void wrongHostLeaf_namesOnlyTheWrongHost() throws Exception {
    X509Certificate leaf = PKI.wrongHostLeaf().certificate();
    assertThat(sans(leaf)).containsExactly("2:wrong.example.invalid");
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=wrong.example.invalid");
    validate(PKI.wrongHostLeaf().chain(), PKI.root());
  }

  @Test
  void cnOnlyLeaf_hasCnAndNoSanExtension() throws Exception {
    X509Certificate leaf = PKI.cnOnlyLeaf().certificate();
    assertThat(leaf.getSubjectAlternativeNames()).isNull();
    assertThat(leaf.getExtensionValue(Extension.subjectAlternativeName.getId())).isNull();
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
  }

  @Test
  void selfSignedLeaf_signedByItselfAndNotCa() throws Exception {
    Credentials selfSigned = PKI.selfSignedLeaf();
    X509Certificate leaf = selfSigned.certificate();
    assertThat(selfSigned.chain()).containsExactly(leaf);
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
    leaf.verify(leaf.getPublicKey());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(sans(leaf)).contains("2:localhost");
  }

  @Test
  void untrustedRootChain_completeButNotUnderRoot() {
    Credentials untrusted = PKI.untrustedRootChain();
    assertThat(untrusted.chain()).hasSize(2);
    assertThat(untrusted.chain().get(1).getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(untrusted.chain().get(1).getIssuerX500Principal())
        .isNotEqualTo(PKI.root().getSubjectX500Principal());
    assertThatThrownBy(() -> validate(untrusted.chain(), PKI.root()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void missingIntermediateChain_leafOnly() {
    assertThat(PKI.missingIntermediateChain().chain()).containsExactly(PKI.leaf());
    assertThat(PKI.missingIntermediateChain().key()).isEqualTo(PKI.leafKey());
  }

  @Test
  void sha1SignedLeaf_usesSha1Signature() throws Exception {
    X509Certificate leaf = PKI.sha1SignedLeaf().certificate();
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA1withECDSA");
    leaf.verify(PKI.intermediate().getPublicKey());
  }

  @Test
  void rsa1024Leaf_has1024BitKeyAndSha256Signature() throws Exception {
    X509Certificate leaf = PKI.rsa1024Leaf().certificate();
    assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(PKI.rsa1024Leaf().key().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void noServerAuthLeaf_clientAuthOnly() throws Exception {
    assertThat(PKI.noServerAuthLeaf().certificate().getExtendedKeyUsage())
        .containsExactly(CLIENT_AUTH);
  }

  @Test
  void intermediateNotCaChain_issuerIsNotCaAndSignedByRoot() throws Exception {
    List<X509Certificate> chain = PKI.intermediateNotCaChain().chain();
    X509Certificate notCa = chain.get(1);
    assertThat(chain).hasSize(2);
    assertThat(notCa.getBasicConstraints()).isEqualTo(-1);
    assertThat(notCa.getKeyUsage()[5]).as("keyCertSign").isFalse();
    notCa.verify(PKI.root().getPublicKey());
    chain.get(0).verify(notCa.getPublicKey());
    assertThatThrownBy(() -> validate(chain, PKI.root()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void clientIdentity_clientAuthOnlyUnderIntermediate() throws Exception {
    Credentials client = PKI.clientIdentity("service-a");
    assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=service-a");
    assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(client.chain()).hasSize(2).endsWith(PKI.intermediate());
    validate(client.chain(), PKI.root());
  }

  @Test
  void unrelatedPins_matchNothingInThePki() {
    Set<Pin> real =
        List.of(PKI.root(), PKI.intermediate(), PKI.leaf()).stream()
            .map(TestPki::pinOf)
            .collect(Collectors.toSet());
    List<Pin> unrelated = new ArrayList<>(TestPki.unrelatedPins(3));
    unrelated.add(PKI.unrelatedPin());

    assertThat(unrelated).doesNotHaveDuplicates().doesNotContainAnyElementsOf(real);
    assertThat(PKI.unrelatedPin().toString()).startsWith("sha256/");
  }

  @Test
  void pems_parseBackToTheSameObjects() throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<java.security.cert.Certificate> parsed =
        new ArrayList<>(
            factory.generateCertificates(
                new ByteArrayInputStream(PKI.chainPem().getBytes(StandardCharsets.US_ASCII))));
    assertThat(parsed).containsExactly(PKI.leaf(), PKI.intermediate());
    assertThat(PKI.rootPem()).startsWith("-----BEGIN CERTIFICATE-----\n");

    String keyPem = PKI.leafKeyPem();
    assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    assertThat(key).isEqualTo(PKI.leafKey());
  }

  @Test
  void encryptedPkcs8Pem_decryptsWithThePassword() throws Exception {
    char[] password = "changeit".toCharArray();
    String pem = TestPki.toEncryptedPkcs8Pem(PKI.leafKey(), password);
    assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    PKCS8EncryptedPrivateKeyInfo encrypted;
    try (PEMParser parser = new PEMParser(new java.io.StringReader(pem))) {
      encrypted = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
    }
    PrivateKeyInfo info =
        encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder()
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .build(password));
    assertThat(info.getEncoded()).isEqualTo(PKI.leafKey().getEncoded());
  }

  @Test
  void pkcs12_loadsWithKeyAndChain(@TempDir Path dir) throws Exception {
    Credentials client = PKI.clientIdentity("p12");
    char[] password = "secret".toCharArray();
    Path file = TestPki.writePkcs12(client, dir.resolve("client.p12"), password);

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    assertThat(store.getKey("client", password)).isEqualTo(client.key());
    assertThat(store.getCertificateChain("client")).containsExactlyElementsOf(client.chain());
  }

  @Test
  void writeServerFiles_writesChainKeyAndRoot(@TempDir Path dir) throws Exception {
    ServerFiles files = PKI.writeServerFiles(dir.resolve("tls"));

    assertThat(files.certificateChain()).hasFileName("server.crt").hasContent(PKI.chainPem());
    assertThat(files.privateKey()).hasFileName("server.key").hasContent(PKI.leafKeyPem());
    assertThat(files.caCertificate()).hasFileName("ca.crt").hasContent(PKI.rootPem());
  }

  @Test
  void leafBuilder_thousandsOfSans_allWritten() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      names.add("DNS:host" + i + ".example.test");
    }
    X509Certificate leaf = PKI.leafBuilder().sans(names).build().certificate();
    assertThat(leaf.getSubjectAlternativeNames()).hasSize(2000);
  }

  @Test
  void caBuilder_longChain_linksEachCertificateToTheNext() throws Exception {
    Credentials issuer = PKI.intermediateCredentials();
    for (int i = 0; i < 10; i++) {
      issuer = PKI.caBuilder().issuer(issuer).build();
    }
    Credentials leaf = PKI.leafBuilder().issuer(issuer).build();

    assertThat(leaf.chain()).hasSize(12).endsWith(PKI.intermediate());
    for (int i = 0; i + 1 < leaf.chain().size(); i++) {
      leaf.chain().get(i).verify(leaf.chain().get(i + 1).getPublicKey());
    }
    validate(leaf.chain(), PKI.root());
  }

  @Test
  void leafBuilder_customFields_applied() throws Exception {
    Credentials custom =
        PKI.leafBuilder()
            .commonName("odd, name")
            .sans("IP:10.0.0.1", "URI:spiffe://test/x")
            .serial(BigInteger.ONE)
            .rsaKey(1024)
            .issuedByRoot()
            .signatureAlgorithm("SHA384withECDSA")
            .removeExtension(Extension.authorityKeyIdentifier)
            .removeExtension(Extension.extendedKeyUsage)
            .build();
    X509Certificate cert = custom.certificate();

    assertThat(custom.chain()).containsExactly(cert);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=odd\\, name");
    assertThat(sans(cert)).containsExactly("7:10.0.0.1", "6:spiffe://test/x");
    assertThat(cert.getSerialNumber()).isEqualTo(BigInteger.ONE);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA384withECDSA");
    assertThat(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNull();
    assertThat(cert.getExtendedKeyUsage()).isNull();
    cert.verify(PKI.root().getPublicKey());
  }

  @Test
  void leafBuilder_badSanPrefix_refused() {
    assertThatThrownBy(() -> PKI.leafBuilder().sans("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DNS:");
  }

  @Test
  void credentials_toString_showsSubjectsNotKey() {
    assertThat(PKI.rsa1024Leaf().toString())
        .contains("CN=localhost")
        .doesNotContain("exponent")
        .doesNotContain("modulus");
  }

  @Test
  void shared_isOnePerJvm() {
    assertThat(TestPki.shared()).isSameAs(TestPki.shared());
    assertThat(TestPki.shared().host()).isEqualTo("localhost");
  }

  private static List<String> sans(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .map(entry -> entry.get(0) + ":" + entry.get(1))
        .collect(Collectors.toList());
  }

  static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }
}
