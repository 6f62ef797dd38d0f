package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moat.core.Check;
import dev.moat.core.ProfileRule;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The cache of path verdicts ({@link PathVerdicts}) answers only for the exact key it was filled
 * with: a path accepted under relaxed rules, as a server's, or to one anchor is judged afresh under
 * other rules, in the other role or to another anchor; and validity, the host name and pins are
 * checked on every call, also on a cache hit.
 */
class PathVerdictCacheTest {
  private static final Instant T0 = Instant.now();
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private final KeyPair rootKeys = ec();
  private final X509Certificate root = ca("CN=Verdict Root", rootKeys, "CN=Verdict Root", rootKeys, null, true);
  private final KeyPair intermediateKeys = ec();
  private final X509Certificate intermediate =
      ca("CN=Verdict Intermediate", intermediateKeys, "CN=Verdict Root", rootKeys, root, true);

  @Test
  void verifyServer_pathAcceptedUnderRelaxedRules_isJudgedAfreshForAHostWithoutThem() throws Exception {
    // The CN is not among the SANs: refused unless SUBJECT_CN_IN_SAN is relaxed.
    List<X509Certificate> chain = chain(leaf("CN=elsewhere.test", KeyPurposeId.id_kp_serverAuth,
        "relaxed.test", "strict.test"));
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root).revocation(Revocation.off())
        .relax("relaxed.test", ProfileRule.SUBJECT_CN_IN_SAN).build();

    policy.verifyServer(chain, "relaxed.test", 443, "test");
    policy.verifyServer(chain, "relaxed.test", 443, "test"); // a cache hit
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);

    TlsRefusalException e = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "strict.test", 443, "test"));
    assertThat(e.check()).isEqualTo(Check.CERTIFICATE_PROFILE);
    assertThat(e.getMessage()).contains("is not one of its subjectAltName entries");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);
  }

  @Test
  void verifyClient_pathAcceptedAsAServers_isJudgedAfreshAsAClients() throws Exception {
    List<X509Certificate> chain = chain(leaf("CN=server.test", KeyPurposeId.id_kp_serverAuth, "server.test"));
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root).revocation(Revocation.off()).build();

    policy.verifyServer(chain, "server.test", 443, "test");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);

    TlsRefusalException e = assertThrows(TlsRefusalException.class, () -> policy.verifyClient(chain, "peer"));
    assertThat(e.check()).isEqualTo(Check.EXTENDED_KEY_USAGE);

    List<X509Certificate> clientChain = chain(leaf("CN=client.test", KeyPurposeId.id_kp_clientAuth, "client.test"));
    policy.verifyClient(clientChain, "peer");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(2);
    TlsRefusalException s = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(clientChain, "client.test", 443, "test"));
    assertThat(s.check()).isEqualTo(Check.EXTENDED_KEY_USAGE);
  }

  @Test
  void verifyServer_samePathToAnotherAnchor_isJudgedAfresh() throws Exception {
    // Same subject and key as the root, so it verifies the same intermediate; but its
    // basicConstraints are not critical, which the strict profile refuses in an anchor.
    X509Certificate lookAlike = ca("CN=Verdict Root", rootKeys, "CN=Verdict Root", rootKeys, null, false);
    KeyPair otherKeys = ec();
    X509Certificate unrelated = ca("CN=Unrelated Root", otherKeys, "CN=Unrelated Root", otherKeys, null, true);
    List<X509Certificate> chain = chain(leaf("CN=good.test", KeyPurposeId.id_kp_serverAuth, "good.test", "bad.test"));
    TlsPolicy policy = TlsPolicy.builder().trustRoot(unrelated).revocation(Revocation.off())
        .trustRootFor("good.test", root).trustRootFor("bad.test", lookAlike).build();

    policy.verifyServer(chain, "good.test", 443, "test");
    policy.verifyServer(chain, "good.test", 443, "test");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);

    TlsRefusalException e = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "bad.test", 443, "test"));
    assertThat(e.check()).as(e.getMessage()).isEqualTo(Check.BASIC_CONSTRAINTS);
    assertThat(e.getMessage()).contains("does not mark basicConstraints critical");
  }

  @Test
  void verifyServer_cacheHit_stillRefusesExpiredNotYetValidWrongHostAndPinMismatch() throws Exception {
    List<X509Certificate> chain = chain(leaf("CN=good.test", KeyPurposeId.id_kp_serverAuth, "good.test", "pinned.test"));
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root).revocation(Revocation.off()).clock(clock(now))
        .pin("pinned.test", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=")
        .build();

    policy.verifyServer(chain, "good.test", 443, "test");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);

    now.set(T0.plus(Duration.ofDays(60)));
    TlsRefusalException expired = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "good.test", 443, "test"));
    assertThat(expired.check()).isEqualTo(Check.EXPIRED);

    now.set(T0.minus(Duration.ofDays(2)));
    TlsRefusalException early = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "good.test", 443, "test"));
    assertThat(early.check()).isEqualTo(Check.NOT_YET_VALID);

    now.set(T0);
    policy.verifyServer(chain, "good.test", 443, "test"); // the entry is still there and still valid
    TlsRefusalException host = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "other.test", 443, "test"));
    assertThat(host.check()).isEqualTo(Check.HOSTNAME);
    TlsRefusalException pin = assertThrows(TlsRefusalException.class, () -> policy.verifyServer(chain, "pinned.test", 443, "test"));
    assertThat(pin.check()).isEqualTo(Check.PIN);
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);
  }

  @Test
  void verifyClient_cacheHit_stillRefusesExpired() throws Exception {
    List<X509Certificate> chain = chain(leaf("CN=client.test", KeyPurposeId.id_kp_clientAuth, "client.test"));
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    TlsPolicy policy = TlsPolicy.builder().trustRoot(root).revocation(Revocation.off()).clock(clock(now)).build();

    policy.verifyClient(chain, "peer");
    assertThat(policy.anchors().verdicts().size()).isEqualTo(1);
    now.set(T0.plus(Duration.ofDays(60)));
    TlsRefusalException e = assertThrows(TlsRefusalException.class, () -> policy.verifyClient(chain, "peer"));
    assertThat(e.check()).isEqualTo(Check.EXPIRED);
  }

  // ------------------------------------------------------------------ test PKI

  private List<X509Certificate> chain(X509Certificate leaf) {
    return List.of(leaf, intermediate);
  }

  private static Clock clock(AtomicReference<Instant> now) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate ca(String subject, KeyPair keys, String issuer, KeyPair issuerKeys,
      X509Certificate issuerCert, boolean criticalBasicConstraints) {
    try {
      JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(issuer, subject, keys)
          .addExtension(Extension.basicConstraints, criticalBasicConstraints, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(keys.getPublic()));
      if (issuerCert != null) {
        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
      }
      return sign(b, issuerKeys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate leaf(String subject, KeyPurposeId eku, String... dnsNames) throws Exception {
    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
    GeneralName[] names = new GeneralName[dnsNames.length];
    for (int i = 0; i < dnsNames.length; i++) {
      names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
    }
    KeyPair keys = ec();
    X509v3CertificateBuilder b = builder("CN=Verdict Intermediate", subject, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
        .addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(intermediateKeys.getPublic()));
    return sign(b, intermediateKeys);
  }

  private static X509v3CertificateBuilder builder(String issuer, String subject, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(T0.minus(Duration.ofDays(1))), Date.from(T0.plus(Duration.ofDays(30))), new X500Name(subject),
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuerKeys) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }
}
