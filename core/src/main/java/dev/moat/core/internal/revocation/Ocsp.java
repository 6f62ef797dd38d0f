package dev.moat.core.internal.revocation;

import dev.moat.core.Revocation;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jspecify.annotations.Nullable;

/** OCSP requests and strict verification of responses (RFC 6960). */
final class Ocsp {
  private static final String OCSP_SIGNING = KeyPurposeId.id_kp_OCSPSigning.getId();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ocsp() {}

  /** The OCSP responder URLs of a certificate's authorityInfoAccess. */
  static List<String> responderUrls(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
    List<String> urls = new ArrayList<>();
    if (ext == null) {
      return urls;
    }
    try {
      AuthorityInformationAccess aia =
          AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      for (AccessDescription d : aia.getAccessDescriptions()) {
        if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
            && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
          urls.add(d.getAccessLocation().getName().toString());
        }
      }
    } catch (RuntimeException e) {
      // A malformed AIA gives no URL; the status stays unknown.
    }
    return urls;
  }

  static Status query(String url, X509Certificate cert, X509Certificate issuer, Revocation settings, Instant now) {
    byte[] nonce = null;
    byte[] request;
    try {
      OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(certificateId(cert, issuer));
      if (settings.nonce()) {
        nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        builder.setRequestExtensions(new Extensions(new Extension(
            OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))));
      }
      OCSPReq req = builder.build();
      request = req.getEncoded();
    } catch (OCSPException | IOException | RuntimeException e) {
      return Status.unknown("OCSP", url, "cannot build the request: " + e.getMessage());
    }
    byte[] response;
    try {
      response = Fetcher.fetch(url, request, "application/ocsp-request", settings);
    } catch (IOException e) {
      return Status.unknown("OCSP", url, "responder unreachable or failed: " + e.getMessage());
    }
    return verify(response, cert, issuer, settings, now, nonce, "OCSP", url);
  }

  /** Verifies a DER OCSPResponse for {@code cert}: signer, freshness, serial, nonce. */
  static Status verify(byte[] der, X509Certificate cert, X509Certificate issuer, Revocation settings,
      Instant now, byte @Nullable [] nonce, String source, String location) {
    try {
      OCSPResp resp = new OCSPResp(der);
      if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
        return Status.unknown(source, location, "responder answered status " + resp.getStatus()
            + " (" + statusName(resp.getStatus()) + ")");
      }
      Object object = resp.getResponseObject();
      if (!(object instanceof BasicOCSPResp)) {
        return Status.unknown(source, location, "not a basic OCSP response");
      }
      BasicOCSPResp basic = (BasicOCSPResp) object;
      String signerProblem = checkSigner(basic, issuer, now);
      if (signerProblem != null) {
        return Status.unknown(source, location, signerProblem);
      }
      if (nonce != null) {
        Extension n = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (n == null || !Arrays.equals(unwrapNonce(n.getExtnValue().getOctets()), nonce)) {
          return Status.unknown(source, location, "the response does not echo the request's nonce (replayed?)");
        }
      }
      CertificateID id = certificateId(cert, issuer);
      for (SingleResp single : basic.getResponses()) {
        if (!single.getCertID().equals(id)) {
          continue;
        }
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Date next = single.getNextUpdate();
        if (thisUpdate.isAfter(now.plus(settings.clockSkew()))) {
          return Status.unknown(source, location, "response thisUpdate " + thisUpdate + " is in the future");
        }
        if (next != null && next.toInstant().plus(settings.clockSkew()).isBefore(now)) {
          return Status.unknown(source, location, "stale response: nextUpdate " + next.toInstant() + " has passed");
        }
        if (next == null && thisUpdate.plus(settings.maxCacheAge()).isBefore(now)) {
          return Status.unknown(source, location, "stale response: thisUpdate " + thisUpdate
              + " is older than the maximum age and there is no nextUpdate");
        }
        Instant until = next != null ? next.toInstant() : now.plus(java.time.Duration.ofMinutes(5));
        Instant cap = now.plus(settings.maxCacheAge());
        if (until.isAfter(cap)) {
          until = cap;
        }
        if (nonce != null) {
          until = null; // a nonced answer is for this request only
        }
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
          return new Status(Status.State.GOOD, source, location, "good (thisUpdate " + thisUpdate + ")", until);
        }
        if (status instanceof RevokedStatus) {
          RevokedStatus r = (RevokedStatus) status;
          String reason = r.hasRevocationReason() ? ", reason " + reasonName(r.getRevocationReason()) : "";
          return new Status(Status.State.REVOKED, source, location,
              "revoked on " + r.getRevocationTime().toInstant() + reason, until);
        }
        return new Status(Status.State.UNKNOWN, source, location, "the responder does not know this certificate", null);
      }
      return Status.unknown(source, location, "the response is not about this certificate (serial "
          + cert.getSerialNumber().toString(16) + ")");
    } catch (IOException | OCSPException | RuntimeException e) {
      return Status.unknown(source, location, "garbage response: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static byte[] unwrapNonce(byte[] value) {
    try {
      return ASN1OctetString.getInstance(value).getOctets();
    } catch (RuntimeException e) {
      return value; // some responders send the raw bytes
    }
  }

  /** Null when the response is signed by the issuer or a delegated responder it authorised, else why not. */
  private static @Nullable String checkSigner(BasicOCSPResp basic, X509Certificate issuer, Instant now)
      throws OCSPException {
    try {
      if (basic.isSignatureValid(verifier(issuer.getPublicKey()))) {
        return null;
      }
    } catch (OCSPException e) {
      // Not signed by the issuer's key; look for a delegated responder below.
    }
    X509CertificateHolder issuerHolder;
    try {
      issuerHolder = new JcaX509CertificateHolder(issuer);
    } catch (java.security.cert.CertificateEncodingException e) {
      return "cannot read the issuer certificate";
    }
    X509CertificateHolder[] certs = basic.getCerts();
    if (certs == null || certs.length == 0) {
      return "the response is not signed by the issuer and carries no responder certificate";
    }
    for (X509CertificateHolder responder : certs) {
      try {
        if (!responder.getIssuer().equals(issuerHolder.getSubject())
            || !responder.isSignatureValid(verifier(issuer.getPublicKey()))) {
          continue;
        }
      } catch (org.bouncycastle.cert.CertException | OCSPException e) {
        continue;
      }
      if (!responder.isValidOn(Date.from(now))) {
        return "the delegated responder certificate " + responder.getSubject() + " is not valid now";
      }
      Extension eku = responder.getExtension(Extension.extendedKeyUsage);
      boolean ocspSigning = false;
      if (eku != null) {
        for (KeyPurposeId p : org.bouncycastle.asn1.x509.ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages()) {
          if (p.getId().equals(OCSP_SIGNING)) {
            ocspSigning = true;
          }
        }
      }
      if (!ocspSigning) {
        return "the delegated responder certificate " + responder.getSubject() + " lacks the OCSPSigning EKU";
      }
      PublicKey key;
      try {
        key = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(responder).getPublicKey();
      } catch (java.security.cert.CertificateException e) {
        return "cannot read the delegated responder certificate";
      }
      if (basic.isSignatureValid(verifier(key))) {
        return null;
      }
      return "the response signature does not verify with the delegated responder's key";
    }
    return "the response is signed neither by the issuer nor by a responder the issuer authorised";
  }

  private static ContentVerifierProvider verifier(PublicKey key) throws OCSPException {
    try {
      return new JcaContentVerifierProviderBuilder().build(key);
    } catch (OperatorCreationException e) {
      throw new OCSPException("no verifier for " + key.getAlgorithm(), e);
    }
  }

  static CertificateID certificateId(X509Certificate cert, X509Certificate issuer) throws OCSPException {
    try {
      DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
      return new CertificateID(digests.get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
          cert.getSerialNumber());
    } catch (OperatorCreationException | java.security.cert.CertificateEncodingException e) {
      throw new OCSPException("cannot compute the certificate ID", e);
    }
  }

  /** Whether the certificate carries the TLS feature extension with status_request (must-staple). */
  static boolean mustStaple(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue("1.3.6.1.5.5.7.1.24");
    if (ext == null) {
      return false;
    }
    try {
      org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(
          ASN1OctetString.getInstance(ext).getOctets());
      for (ASN1Encodable e : seq) {
        if (org.bouncycastle.asn1.ASN1Integer.getInstance(e).getValue().equals(BigInteger.valueOf(5))) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      return true; // unreadable TLS feature: be conservative and demand a staple
    }
    return false;
  }

  private static String statusName(int status) {
    switch (status) {
      case 1: return "malformedRequest";
      case 2: return "internalError";
      case 3: return "tryLater";
      case 5: return "sigRequired";
      case 6: return "unauthorized";
      default: return "unknown";
    }
  }

  static String reasonName(int reason) {
    String[] names = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "unused", "removeFromCRL", "privilegeWithdrawn", "aACompromise"};
    return reason >= 0 && reason < names.length ? names[reason] : "reason " + reason;
  }

  static ASN1ObjectIdentifier nonceOid() {
    return OCSPObjectIdentifiers.id_pkix_ocsp_nonce;
  }
}
