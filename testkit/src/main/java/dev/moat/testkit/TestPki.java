package dev.moat.testkit;

import dev.moat.core.Pin;
import dev.moat.testkit.internal.Keys;
import dev.moat.testkit.internal.LegacyTls;
import dev.moat.testkit.internal.NeedClientAuthContext;
import dev.moat.testkit.internal.Pems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory PKI for tests: a root CA, an intermediate CA and a server leaf for some host names,
 * plus every kind of bad certificate one call away. Nothing is written to disk unless asked, and no
 * certificate file is ever committed.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create("localhost");   // root -> intermediate -> leaf for localhost
 * try (TlsTestServer server = TlsTestServer.start(pki.expiredLeaf())) {
 *   TlsPolicy policy = TlsPolicy.builder().trustRoot(pki.root()).build();
 *   // connect with the policy, expect Check.EXPIRED
 * }
 * }</pre>
 *
 * <p>Keys are EC P-256 (fast) except where a defect needs RSA. Defects are generated on first use
 * and remembered by this instance; {@link #shared()} is one PKI for {@code localhost} per JVM.
 * Certificates are generated with Bouncy Castle used as a library (a private provider instance,
 * never registered) and returned as the JDK's own {@link X509Certificate} objects.
 *
 * <p>Validity is relative to the moment the PKI was created: CAs from one day before to 3650 days
 * after, leaves from one day before to 90 days after.
 *
 * <p><b>Security:</b> loading this class relaxes the JDK's TLS protocol floor of the whole JVM (see
 * {@link TlsTestServer}). Test use only.
 */
public final class TestPki {
  static {
    LegacyTls.enable();
  }

  private static final Duration BACKDATE = Duration.ofDays(1);
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration LEAF_LIFETIME = Duration.ofDays(90);
  /** The only name {@link #wrongHostLeaf()} carries. */
  public static final String WRONG_HOST = "wrong.example.invalid";

  private final List<String> hostNames;
  private final String id;
  private final Instant created;
  private final Credentials rootCa;
  private final Credentials intermediateCa;
  private final Credentials good;
  private final Map<String, Object> memo = new HashMap<>();

  private TestPki(List<String> hostNames) {
    this.hostNames = hostNames;
    this.id = HexFormat.of().formatHex(Keys.random().generateSeed(3));
    this.created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.rootCa = caBuilder().subject(caName("Root")).selfSigned().build();
    this.intermediateCa = caBuilder().subject(caName("Intermediate")).issuer(rootCa).build();
    this.good = leafBuilder().issuer(intermediateCa).build();
  }

  /**
   * A new PKI whose leaf names these hosts: subject CN = the first, a DNS SAN for each, and IP SANs
   * 127.0.0.1 and ::1 when {@code localhost} is among them.
   *
   * @throws IllegalArgumentException when no host name is given
   */
  public static TestPki create(String... hostNames) {
    List<String> hosts = List.of(hostNames);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("give at least one host name, for example \"localhost\"");
    }
    return new TestPki(hosts);
  }

  /** One PKI for {@code localhost} per JVM, shared by the scenario catalog. */
  public static TestPki shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final TestPki INSTANCE = create("localhost");
  }

  // ---------------------------------------------------------------- the good PKI

  /** The host names the leaf was made for. */
  public List<String> hostNames() {
    return hostNames;
  }

  /** The first host name: the leaf's CN. */
  public String host() {
    return hostNames.get(0);
  }

  /** When this PKI was created; validity periods are relative to it. */
  public Instant created() {
    return created;
  }

  /** The self-signed root CA, the trust anchor clients should be given. */
  public X509Certificate root() {
    return rootCa.certificate();
  }

  /** The root's private key (for tests that sign CRLs or OCSP responses). */
  public PrivateKey rootKey() {
    return rootCa.key();
  }

  /** The root as issuer credentials, for {@link CertificateBuilder#issuer(Credentials)}. */
  public Credentials rootCredentials() {
    return rootCa;
  }

  /** The intermediate CA, issued by the root, issuer of every leaf unless stated otherwise. */
  public X509Certificate intermediate() {
    return intermediateCa.certificate();
  }

  /** The intermediate's private key. */
  public PrivateKey intermediateKey() {
    return intermediateCa.key();
  }

  /** The intermediate as issuer credentials (its chain holds only the intermediate). */
  public Credentials intermediateCredentials() {
    return intermediateCa;
  }

  /** The good server leaf. */
  public X509Certificate leaf() {
    return good.certificate();
  }

  /** The good leaf's private key. */
  public PrivateKey leafKey() {
    return good.key();
  }

  /** The chain a good server presents: leaf, intermediate (not the root). */
  public List<X509Certificate> serverChain() {
    return good.chain();
  }

  /** The root as PEM. */
  public String rootPem() {
    return toPem(List.of(root()));
  }

  /** The server chain (leaf, intermediate) as PEM. */
  public String chainPem() {
    return toPem(serverChain());
  }

  /** The leaf's key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
  public String leafKeyPem() {
    return toPkcs8Pem(leafKey());
  }

  /**
   * Writes {@code server.crt} (leaf and intermediate), {@code server.key} (unencrypted PKCS#8) and
   * {@code ca.crt} (root) into {@code dir}, for native servers. Use a temporary directory, never the
   * source tree.
   */
  public ServerFiles writeServerFiles(Path dir) throws IOException {
    return writeServerFiles(good, dir);
  }

  /**
   * Writes {@code server.crt} ({@code credentials.chain()}), {@code server.key} (its key,
   * unencrypted PKCS#8) and {@code ca.crt} ({@link #root()}) into {@code dir}: a native server
   * presenting any defect.
   */
  public ServerFiles writeServerFiles(Credentials credentials, Path dir) throws IOException {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    ServerFiles files =
        new ServerFiles(dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("ca.crt"));
    Files.writeString(files.certificateChain(), toPem(credentials.chain()), StandardCharsets.US_ASCII);
    Files.writeString(files.privateKey(), toPkcs8Pem(credentials.key()), StandardCharsets.US_ASCII);
    Files.writeString(files.caCertificate(), rootPem(), StandardCharsets.US_ASCII);
    return files;
  }

  /** A key manager presenting the good leaf and intermediate. */
  public X509ExtendedKeyManager serverKeyManager() {
    return good.keyManager();
  }

  /** A TLS server context presenting the good chain, with the JDK's default protocols and suites. */
  public SSLContext serverSslContext() {
    return sslContext(good, null);
  }

  /**
   * A TLS server context presenting the good chain that needs a client certificate, and accepts
   * only client chains that validate (JDK PKIX, clientAuth usage) up to {@code clientTrustRoot}.
   */
  public SSLContext serverSslContext(X509Certificate clientTrustRoot) {
    Objects.requireNonNull(clientTrustRoot, "clientTrustRoot");
    return NeedClientAuthContext.wrap(sslContext(good, clientTrustRoot));
  }

  /** A key store (PKCS12, in memory, no password) holding {@link #root()} as a trusted entry. */
  public KeyStore trustStore() {
    return trustStore(root());
  }

  /**
   * A plain JDK client context that trusts {@link #root()}: the JDK's own checks, not Moat's. For
   * control cases and for showing what an unprotected client accepts.
   */
  public SSLContext jdkClientSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(root()), Keys.random());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a client context", e);
    }
  }

  /**
   * A client identity for mutual TLS: subject CN = {@code commonName}, no SAN, EKU clientAuth only,
   * issued by the intermediate; the chain is the client certificate and the intermediate.
   */
  public Credentials clientIdentity(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    return memo(
        "client:" + commonName,
        () ->
            leafBuilder()
                .commonName(commonName)
                .noSans()
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                .build());
  }

  // ---------------------------------------------------------------- defects

  /** The normal leaf and intermediate, the control case. */
  public Credentials goodChain() {
    return good;
  }

  /** A leaf whose notAfter lies one day in the past (valid from 30 days ago). */
  public Credentials expiredLeaf() {
    return memo(
        "expired",
        () ->
            leafBuilder()
                .validity(created.minus(Duration.ofDays(30)), created.minus(Duration.ofDays(1)))
                .build());
  }

  /** A leaf whose notBefore lies one day in the future. */
  public Credentials notYetValidLeaf() {
    return memo(
        "notYetValid",
        () ->
            leafBuilder()
                .validity(created.plus(Duration.ofDays(1)), created.plus(LEAF_LIFETIME))
                .build());
  }

  /** A leaf for {@value #WRONG_HOST} only (CN and the single DNS SAN). */
  public Credentials wrongHostLeaf() {
    return memo(
        "wrongHost",
        () -> leafBuilder().commonName(WRONG_HOST).sans("DNS:" + WRONG_HOST).build());
  }

  /** A leaf with CN = the first host name and no subjectAltName extension at all. */
  public Credentials cnOnlyLeaf() {
    return memo("cnOnly", () -> leafBuilder().noSans().build());
  }

  /** A self-signed leaf for the hosts (not a CA); its chain is just itself. */
  public Credentials selfSignedLeaf() {
    return memo("selfSigned", () -> leafBuilder().selfSigned().build());
  }

  /**
   * A whole separate root, intermediate and leaf for the hosts; clients trust only {@link #root()},
   * so this chain leads nowhere. The chain is leaf and that other intermediate.
   */
  public Credentials untrustedRootChain() {
    return memo(
        "untrustedRoot",
        () -> {
          Credentials otherRoot =
              caBuilder().subject(caName("Untrusted Root")).selfSigned().build();
          Credentials otherIntermediate =
              caBuilder().subject(caName("Untrusted Intermediate")).issuer(otherRoot).build();
          return leafBuilder().issuer(otherIntermediate).build();
        });
  }

  /** The good leaf alone, without the intermediate a client needs to reach the root. */
  public Credentials missingIntermediateChain() {
    return memo("missingIntermediate", () -> new Credentials(leafKey(), List.of(leaf())));
  }

  /** A leaf the intermediate signed with SHA1withECDSA. */
  public Credentials sha1SignedLeaf() {
    return memo("sha1", () -> leafBuilder().signatureAlgorithm("SHA1withECDSA").build());
  }

  /**
   * A leaf with a 1024-bit RSA key (generated once per JVM), signed SHA256withECDSA by the
   * intermediate.
   */
  public Credentials rsa1024Leaf() {
    return memo("rsa1024", () -> leafBuilder().rsaKey(1024).build());
  }

  /** A leaf whose extended key usage is clientAuth only: no serverAuth. */
  public Credentials noServerAuthLeaf() {
    return memo(
        "noServerAuth",
        () -> leafBuilder().extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).build());
  }

  /**
   * A leaf issued by an "intermediate" that is not a CA (basicConstraints cA=false, key usage
   * digitalSignature only, no keyCertSign) which the root issued. The chain is leaf and that
   * certificate.
   */
  public Credentials intermediateNotCaChain() {
    return memo(
        "intermediateNotCa",
        () -> {
          Credentials notCa =
              caBuilder()
                  .subject(caName("Not-a-CA Intermediate"))
                  .basicConstraints(false)
                  .keyUsage(KeyUsage.digitalSignature)
                  .issuer(rootCa)
                  .build();
          return leafBuilder().issuer(notCa).build();
        });
  }

  /**
   * A leaf for the PKI's hosts whose authorityInfoAccess names {@link #revocationResponder()},
   * which answers "revoked" for it. A client with the default soft-fail revocation refuses it with
   * {@code Check.REVOKED}.
   */
  public Credentials revokedLeaf() {
    return memo("revoked", () -> revokedAtResponder());
  }

  /**
   * Another revoked leaf like {@link #revokedLeaf()}, for the {@code REVOKED_STAPLED} scenario:
   * a stapling server ({@link TlsTestServer.Builder#ocspStapling}) staples the responder's
   * "revoked"; a server that cannot staple leaves the client to ask the responder itself.
   */
  public Credentials revokedStapledLeaf() {
    return memo("revokedStapled", () -> revokedAtResponder());
  }

  /**
   * The OCSP responder of {@link #revokedLeaf()} and {@link #revokedStapledLeaf()}: started on
   * 127.0.0.1 at first use and kept for the JVM's lifetime (daemon threads). Do not stop or
   * reconfigure it; start an {@link OcspResponder} of your own for tests that do.
   */
  public OcspResponder revocationResponder() {
    return memo("revocationResponder", () -> OcspResponder.start(this));
  }

  private Credentials revokedAtResponder() {
    OcspResponder responder = revocationResponder();
    Credentials leaf = responder.leafBuilder().build();
    responder.revoke(leaf.certificate());
    return leaf;
  }

  // ---------------------------------------------------------------- pins

  /** The SPKI pin of a certificate, as {@link Pin#of(X509Certificate)}. */
  public static Pin pinOf(X509Certificate certificate) {
    return Pin.of(certificate);
  }

  /** The pin of a freshly generated key that matches no certificate; the same for this PKI. */
  public Pin unrelatedPin() {
    return memo("unrelatedPin", () -> Pin.of(Keys.ecP256().getPublic()));
  }

  /** {@code n} pins of freshly generated keys that match nothing. */
  public static List<Pin> unrelatedPins(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n " + n + " is negative");
    }
    List<Pin> pins = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pins.add(Pin.of(Keys.ecP256().getPublic()));
    }
    return pins;
  }

  // ---------------------------------------------------------------- builders

  /**
   * A builder for a custom leaf, preset as the good leaf: subject CN = first host, SANs for the
   * hosts, EKU serverAuth and clientAuth, key usage digitalSignature, cA=false, issued by the
   * intermediate, valid one day before to 90 days after creation.
   */
  public CertificateBuilder leafBuilder() {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host()).build();
    CertificateBuilder builder =
        new CertificateBuilder(
            this, false, subject, created.minus(BACKDATE), created.plus(LEAF_LIFETIME));
    builder.sans(defaultSans());
    return builder;
  }

  /**
   * A builder for a custom CA, preset as a proper intermediate: cA=true (critical), key usage
   * keyCertSign and cRLSign (critical), issued by the root, valid 3650 days.
   */
  public CertificateBuilder caBuilder() {
    return new CertificateBuilder(
        this,
        true,
        new X500Name(BCStyle.INSTANCE, caName("CA " + randomSerial().toString(16).substring(0, 6))),
        created.minus(BACKDATE),
        created.plus(CA_LIFETIME));
  }

  // ---------------------------------------------------------------- conversions

  /** The certificates as concatenated PEM blocks, in order. */
  public static String toPem(List<X509Certificate> certificates) {
    return Pems.certificates(certificates);
  }

  /** The key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
  public static String toPkcs8Pem(PrivateKey key) {
    return Pems.pkcs8(key);
  }

  /**
   * The key as encrypted PKCS#8 PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, PBES2,
   * PBKDF2-HMAC-SHA256, AES-256-CBC).
   */
  public static String toEncryptedPkcs8Pem(PrivateKey key, char[] password) {
    return Pems.encryptedPkcs8(key, password);
  }

  /** A PKCS#12 file's bytes with one key entry (alias {@code "client"}) holding the credentials. */
  public static byte[] toPkcs12(Credentials credentials, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "client",
          credentials.key(),
          password,
          credentials.chain().toArray(new X509Certificate[0]));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, password);
      return out.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write PKCS#12 for " + credentials, e);
    }
  }

  /** Writes {@link #toPkcs12(Credentials, char[])} to {@code file}. */
  public static Path writePkcs12(Credentials credentials, Path file, char[] password)
      throws IOException {
    return Files.write(file, toPkcs12(credentials, password));
  }

  // ---------------------------------------------------------------- internals

  static BigInteger randomSerial() {
    byte[] bytes = new byte[16];
    Keys.random().nextBytes(bytes);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01; // never zero, always 16 significant bytes
    return new BigInteger(1, bytes);
  }

  private String caName(String role) {
    return "CN=Moat Test " + role + " " + id + ", O=Moat testkit";
  }

  private List<String> defaultSans() {
    List<String> sans = new ArrayList<>();
    for (String host : hostNames) {
      sans.add("DNS:" + host);
    }
    if (hostNames.contains("localhost")) {
      sans.add("IP:127.0.0.1");
      sans.add("IP:::1");
    }
    return sans;
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> T memo(String key, Supplier<T> supplier) {
    Object value = memo.get(key);
    if (value == null) {
      value = supplier.get();
      memo.put(key, value);
    }
    return (T) value;
  }

  static KeyStore trustStore(X509Certificate anchor) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("anchor", anchor);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store", e);
    }
  }

  static TrustManager[] trustManagers(X509Certificate anchor) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(trustStore(anchor));
    return factory.getTrustManagers();
  }

  /** A server context for these credentials; verifies client chains up to the anchor if given. */
  static SSLContext sslContext(Credentials credentials, @Nullable X509Certificate clientTrustRoot) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          new KeyManager[] {credentials.keyManager()},
          clientTrustRoot == null ? null : trustManagers(clientTrustRoot),
          Keys.random());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a server context for " + credentials, e);
    }
  }

  @Override
  public String toString() {
    return "TestPki[" + id + ", hosts=" + hostNames + "]";
  }
}
