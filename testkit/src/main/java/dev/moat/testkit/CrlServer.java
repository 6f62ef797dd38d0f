package dev.moat.testkit;

import dev.moat.testkit.internal.Bc;
import dev.moat.testkit.internal.Keys;
import dev.moat.testkit.internal.RevocationEndpoint;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CRL distribution point over HTTP on 127.0.0.1: serves a CRL that the issuer (by default the
 * PKI's intermediate) signs afresh for each request, listing the certificates {@link #revoke}d.
 *
 * <pre>{@code
 * try (CrlServer crl = CrlServer.start(pki)) {
 *   Credentials leaf = pki.leafBuilder().crlDistributionPoint(crl.url()).build();
 *   crl.revoke(leaf.certificate());
 *   // a handshake against leaf is refused with Check.REVOKED
 * }
 * }</pre>
 *
 * <p>It can also serve a stale CRL, a CRL signed by the wrong key, garbage, answer late, or be down
 * ({@link #stop()}).
 */
public final class CrlServer implements AutoCloseable {
  private final Credentials issuer;
  private final RevocationEndpoint http;
  private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
  private final AtomicLong number = new AtomicLong();
  private volatile boolean wrongSigner;

  private CrlServer(Credentials issuer) {
    this.issuer = issuer;
    this.http = new RevocationEndpoint("/crl", "application/pkix-crl", request -> crl());
  }

  /** A CRL of the PKI's intermediate (the issuer of its leaves). */
  public static CrlServer start(TestPki pki) {
    return start(pki.intermediateCredentials());
  }

  /** A CRL of this issuer (certificate and key). */
  public static CrlServer start(Credentials issuer) {
    return new CrlServer(Objects.requireNonNull(issuer, "issuer"));
  }

  /** {@code http://127.0.0.1:port/crl}: put it in leaves with {@link CertificateBuilder#crlDistributionPoint}. */
  public String url() {
    return http.url();
  }

  /** Lists this certificate (revoked one hour ago, keyCompromise) from now on. */
  public CrlServer revoke(X509Certificate certificate) {
    revoked.put(certificate.getSerialNumber(), http.now().minus(Duration.ofHours(1)));
    return this;
  }

  /** When true, serves a CRL whose nextUpdate lies one day in the past. */
  public CrlServer stale(boolean stale) {
    http.stale(stale);
    return this;
  }

  /** When true, answers bytes that are not a CRL. */
  public CrlServer garbage(boolean garbage) {
    http.garbage(garbage);
    return this;
  }

  /** When true, signs with an unrelated key (same issuer name): must be rejected. */
  public CrlServer wrongSigner(boolean wrongSigner) {
    this.wrongSigner = wrongSigner;
    return this;
  }

  /** How far nextUpdate lies after thisUpdate (default one hour). */
  public CrlServer validity(Duration validity) {
    http.validity(validity);
    return this;
  }

  /** The clock for thisUpdate/nextUpdate (default system UTC). */
  public CrlServer clock(Clock clock) {
    http.clock(clock);
    return this;
  }

  /** Waits this long before each answer (default zero). */
  public CrlServer delay(Duration delay) {
    http.delay(delay);
    return this;
  }

  /** Requests received so far. */
  public int requests() {
    return http.requests();
  }

  /** Sets {@link #requests()} back to zero. */
  public void resetRequests() {
    http.resetRequests();
  }

  /** Closes the port: from now on clients get "connection refused" at {@link #url()}. */
  public void stop() {
    http.stop();
  }

  @Override
  public void close() {
    http.stop();
  }

  /** The DER CRL as it would be served now. */
  public byte[] crl() {
    if (http.garbage()) {
      return RevocationEndpoint.garbageBytes();
    }
    RevocationEndpoint.Window window = http.window();
    try {
      X509Certificate ca = issuer.certificate();
      X509v2CRLBuilder builder =
          new X509v2CRLBuilder(
              X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), Date.from(window.thisUpdate()));
      builder.setNextUpdate(Date.from(window.nextUpdate()));
      for (Map.Entry<BigInteger, Instant> e : revoked.entrySet()) {
        builder.addCRLEntry(e.getKey(), Date.from(e.getValue()), CRLReason.keyCompromise);
      }
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number.incrementAndGet())));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey()));
      PrivateKey key = wrongSigner ? Keys.ecP256().getPrivate() : issuer.key();
      return builder
          .build(new JcaContentSignerBuilder(RevocationEndpoint.signatureAlgorithm(key)).setProvider(Bc.provider()).build(key))
          .getEncoded();
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot build a CRL", e);
    }
  }

  @Override
  public String toString() {
    return "CrlServer[" + url() + ", revoked=" + revoked.size() + (http.stale() ? ", stale" : "")
        + (http.stopped() ? ", down" : "") + "]";
  }
}
