package dev.moat.testkit;

import dev.moat.testkit.internal.Bc;
import dev.moat.testkit.internal.LoopbackHttp;
import dev.moat.testkit.internal.RevocationEndpoint;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A real OCSP responder (RFC 6960) over HTTP on 127.0.0.1, for revocation tests. It answers POST
 * and GET requests for certificates of one issuer (by default the PKI's intermediate), with
 * responses Bouncy Castle builds and signs, and it can misbehave on demand: sign with the wrong
 * key or a delegated responder with or without the OCSPSigning EKU, answer late, answer garbage,
 * answer with a stale {@code nextUpdate}, or be down.
 *
 * <pre>{@code
 * try (OcspResponder ocsp = OcspResponder.start(pki);
 *     TlsTestServer server = TlsTestServer.start(ocsp.leaf(OcspResponder.CertStatus.REVOKED))) {
 *   assertThatThrownBy(() -> server.handshake(TlsPolicy.builder().trustRoot(pki.root()).build()))
 *       .isInstanceOf(SSLHandshakeException.class);
 *   assertThat(ocsp.requests()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Serials it was not told about are answered {@code unknown}, as real responders do. Threads
 * are daemons; {@link #close()} (or {@link #stop()}) closes the port, after which clients get
 * "connection refused" at {@link #url()}.
 */
public final class OcspResponder implements AutoCloseable {
  /** What the responder says about one certificate. */
  public enum CertStatus {
    GOOD,
    REVOKED,
    UNKNOWN
  }

  /** Who signs the responses. */
  public enum Signer {
    /** The issuer's own key (the default). */
    ISSUER,
    /** A delegated responder certificate issued by the issuer, with the OCSPSigning EKU. */
    DELEGATED,
    /** A certificate issued by the issuer but without the OCSPSigning EKU: must be rejected. */
    DELEGATED_WITHOUT_EKU,
    /** A self-signed certificate unrelated to the issuer: must be rejected. */
    UNRELATED
  }

  private final TestPki pki;
  private final Credentials issuer;
  private final RevocationEndpoint http;
  private final Map<BigInteger, CertStatus> statuses = new ConcurrentHashMap<>();
  private final Map<BigInteger, Instant> revokedAt = new ConcurrentHashMap<>();
  private final Map<Signer, Credentials> signers = new ConcurrentHashMap<>();
  private volatile Signer signer = Signer.ISSUER;

  private OcspResponder(TestPki pki, Credentials issuer) {
    this.pki = pki;
    this.issuer = issuer;
    this.http = new RevocationEndpoint("/ocsp", "application/ocsp-response", this::answer);
  }

  /** A responder for certificates issued by the PKI's intermediate (as all its leaves are). */
  public static OcspResponder start(TestPki pki) {
    return start(pki, pki.intermediateCredentials());
  }

  /** A responder for certificates issued by {@code issuer} (certificate and key). */
  public static OcspResponder start(TestPki pki, Credentials issuer) {
    return new OcspResponder(Objects.requireNonNull(pki, "pki"), Objects.requireNonNull(issuer, "issuer"));
  }

  // ---------------------------------------------------------------- configuration

  /** The responder URL, {@code http://127.0.0.1:port/ocsp}: put it in leaves with {@link CertificateBuilder#ocsp}. */
  public String url() {
    return http.url();
  }

  /** The issuer whose certificates it answers for. */
  public Credentials issuer() {
    return issuer;
  }

  /** Says {@code status} about the certificate with this serial from now on. */
  public OcspResponder status(BigInteger serial, CertStatus status) {
    Objects.requireNonNull(serial, "serial");
    statuses.put(serial, Objects.requireNonNull(status, "status"));
    if (status == CertStatus.REVOKED) {
      revokedAt.putIfAbsent(serial, http.now().minus(Duration.ofHours(1)));
    }
    return this;
  }

  /** Says {@code status} about this certificate from now on. */
  public OcspResponder status(X509Certificate certificate, CertStatus status) {
    return status(certificate.getSerialNumber(), status);
  }

  /** Says "revoked" (keyCompromise, one hour ago) about this certificate. */
  public OcspResponder revoke(X509Certificate certificate) {
    return status(certificate, CertStatus.REVOKED);
  }

  /** Says "good" about this certificate. */
  public OcspResponder good(X509Certificate certificate) {
    return status(certificate, CertStatus.GOOD);
  }

  /**
   * Issues a leaf for the PKI's hosts from {@link #issuer()}, with this responder's URL in its
   * authorityInfoAccess, and registers {@code status} for it.
   */
  public Credentials leaf(CertStatus status) {
    Credentials leaf = leafBuilder().build();
    status(leaf.certificate(), status);
    return leaf;
  }

  /** A leaf builder preset with {@link #issuer()} and this responder's URL, to customise further. */
  public CertificateBuilder leafBuilder() {
    return pki.leafBuilder().issuer(issuer).ocsp(url());
  }

  /** Who signs from now on (default {@link Signer#ISSUER}). */
  public OcspResponder signer(Signer signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    return this;
  }

  /** Waits this long before each answer (default zero). */
  public OcspResponder delay(Duration delay) {
    http.delay(delay);
    return this;
  }

  /** When true, answers HTTP 200 with bytes that are not an OCSP response. */
  public OcspResponder garbage(boolean garbage) {
    http.garbage(garbage);
    return this;
  }

  /** When true, answers with thisUpdate two days and nextUpdate one day in the past. */
  public OcspResponder stale(boolean stale) {
    http.stale(stale);
    return this;
  }

  /** How far nextUpdate lies after thisUpdate (default one hour). */
  public OcspResponder validity(Duration validity) {
    http.validity(validity);
    return this;
  }

  /** The clock for thisUpdate/nextUpdate (share the policy's test clock; default system UTC). */
  public OcspResponder clock(Clock clock) {
    http.clock(clock);
    return this;
  }

  /** OCSP requests received so far (each counted on arrival, before any delay). */
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

  // ---------------------------------------------------------------- responses

  /**
   * The DER OCSPResponse this responder would give now for {@code certificate}, as configured
   * (signer, staleness, garbage), without HTTP: an explicit staple, or a file for a native server.
   */
  public byte[] responseFor(X509Certificate certificate) {
    try {
      CertificateID id =
          new CertificateID(
              digests().get(CertificateID.HASH_SHA1),
              new JcaX509CertificateHolder(issuer.certificate()),
              certificate.getSerialNumber());
      return http.garbage() ? garbageBytes() : build(List.of(id), null);
    } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot build an OCSP response", e);
    }
  }

  private byte[] answer(LoopbackHttp.Request request) {
    if (http.garbage()) {
      return garbageBytes();
    }
    try {
      byte[] der = request.body();
      if (request.method().equals("GET")) {
        String path = request.pathAndQuery();
        String encoded = path.substring(path.indexOf("/ocsp") + "/ocsp".length()).replaceFirst("^/", "");
        der = Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.US_ASCII));
      }
      OCSPReq req = new OCSPReq(der);
      List<CertificateID> ids = new ArrayList<>();
      for (Req r : req.getRequestList()) {
        ids.add(r.getCertID());
      }
      Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      return build(ids, nonce);
    } catch (IOException | IllegalArgumentException e) {
      return errorResponse(OCSPRespBuilder.MALFORMED_REQUEST);
    } catch (OCSPException | OperatorCreationException | CertificateEncodingException e) {
      return errorResponse(OCSPRespBuilder.INTERNAL_ERROR);
    }
  }

  private byte[] build(List<CertificateID> ids, @Nullable Extension nonce)
      throws OCSPException, OperatorCreationException, CertificateEncodingException {
    RevocationEndpoint.Window window = http.window();
    Instant now = window.now();
    Credentials signing = signingCredentials();
    X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer.certificate());
    BasicOCSPRespBuilder builder =
        new JcaBasicOCSPRespBuilder(signing.certificate().getPublicKey(), digests().get(CertificateID.HASH_SHA1));
    for (CertificateID id : ids) {
      CertificateStatus status;
      CertStatus answer =
          id.matchesIssuer(issuerHolder, digests())
              ? statuses.getOrDefault(id.getSerialNumber(), CertStatus.UNKNOWN)
              : CertStatus.UNKNOWN;
      switch (answer) {
        case GOOD:
          status = CertificateStatus.GOOD;
          break;
        case REVOKED:
          Instant when = revokedAt.getOrDefault(id.getSerialNumber(), now.minus(Duration.ofHours(1)));
          status = new RevokedStatus(Date.from(when), CRLReason.keyCompromise);
          break;
        default:
          status = new UnknownStatus();
      }
      builder.addResponse(id, status, Date.from(window.thisUpdate()), Date.from(window.nextUpdate()), null);
    }
    if (nonce != null) {
      builder.setResponseExtensions(new Extensions(nonce));
    }
    X509CertificateHolder[] chain =
        signer == Signer.ISSUER
            ? null
            : new X509CertificateHolder[] {new JcaX509CertificateHolder(signing.certificate())};
    BasicOCSPResp basic =
        builder.build(
            new JcaContentSignerBuilder(RevocationEndpoint.signatureAlgorithm(signing.key())).setProvider(Bc.provider()).build(signing.key()),
            chain,
            Date.from(now));
    try {
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (IOException e) {
      throw new OCSPException("cannot encode", e);
    }
  }

  private Credentials signingCredentials() {
    Signer s = signer;
    if (s == Signer.ISSUER) {
      return issuer;
    }
    return signers.computeIfAbsent(s, this::responderCertificate);
  }

  private Credentials responderCertificate(Signer s) {
    CertificateBuilder b =
        pki.leafBuilder()
            .commonName("Moat Test OCSP Responder " + s)
            .noSans()
            .keyUsage(KeyUsage.digitalSignature);
    switch (s) {
      case DELEGATED:
        return b.issuer(issuer).extendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning).build();
      case DELEGATED_WITHOUT_EKU:
        return b.issuer(issuer).extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
      default:
        return b.selfSigned().extendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning).build();
    }
  }

  private static byte[] errorResponse(int status) {
    try {
      return new OCSPRespBuilder().build(status, null).getEncoded();
    } catch (OCSPException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] garbageBytes() {
    byte[] bytes = RevocationEndpoint.garbageBytes();
    bytes[0] = 0x30; // starts like a DER SEQUENCE, then nonsense
    return bytes;
  }

  private static DigestCalculatorProvider digests() throws OperatorCreationException {
    return new JcaDigestCalculatorProviderBuilder().setProvider(Bc.provider()).build();
  }

  @Override
  public String toString() {
    return "OcspResponder[" + url() + ", signer=" + signer + (http.garbage() ? ", garbage" : "")
        + (http.stale() ? ", stale" : "") + (http.stopped() ? ", down" : "") + "]";
  }
}
