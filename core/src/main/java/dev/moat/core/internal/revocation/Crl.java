package dev.moat.core.internal.revocation;

import dev.moat.core.Revocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** CRLs from http distribution points, verified against the issuer. */
final class Crl {
  private Crl() {}

  static List<String> distributionPoints(X509Certificate cert) {
    List<String> urls = new ArrayList<>();
    byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
    if (ext == null) {
      return urls;
    }
    try {
      CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      for (DistributionPoint dp : points.getDistributionPoints()) {
        DistributionPointName name = dp.getDistributionPoint();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
          continue;
        }
        for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
          if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
            String url = g.getName().toString();
            if (url.startsWith("http://") || url.startsWith("https://")) {
              urls.add(url);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // Malformed distribution points give no URL.
    }
    return urls;
  }

  /** Fetches and verifies a CRL; the caller caches it by URL. */
  static X509CRL fetch(String url, X509Certificate issuer, Revocation settings, Instant now) throws IOException {
    byte[] der = Fetcher.fetch(url, null, "", settings);
    X509CRL crl;
    try {
      crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new IOException("not a CRL: " + e.getMessage(), e);
    }
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new IOException("the CRL is issued by " + crl.getIssuerX500Principal() + ", not by the certificate's issuer");
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new IOException("the CRL signature does not verify with the issuer's key", e);
    }
    if (crl.getThisUpdate().toInstant().isAfter(now.plus(settings.clockSkew()))) {
      throw new IOException("the CRL's thisUpdate " + crl.getThisUpdate().toInstant() + " is in the future");
    }
    if (crl.getNextUpdate() != null
        && crl.getNextUpdate().toInstant().plus(settings.clockSkew()).isBefore(now)) {
      throw new IOException("stale CRL: nextUpdate " + crl.getNextUpdate().toInstant() + " has passed");
    }
    return crl;
  }

  /** The status of {@code cert} on a verified CRL; the answer may be reused until {@code until}. */
  static Status statusFrom(X509CRL crl, X509Certificate cert, String url, Instant until) {
    X509CRLEntry entry = crl.getRevokedCertificate(cert);
    if (entry != null) {
      String reason = entry.getRevocationReason() != null ? ", reason " + entry.getRevocationReason() : "";
      return new Status(Status.State.REVOKED, "CRL", url, "revoked on " + entry.getRevocationDate().toInstant() + reason, until);
    }
    return new Status(Status.State.GOOD, "CRL", url, "not on the CRL (thisUpdate " + crl.getThisUpdate().toInstant() + ")", until);
  }
}
