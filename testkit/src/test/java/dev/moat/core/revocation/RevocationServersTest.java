package dev.moat.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.CrlServer;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.OcspResponder;
import dev.moat.testkit.OcspResponder.CertStatus;
import dev.moat.testkit.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** testkit's responder and CRL endpoint on their own, read with plain HTTP and Bouncy Castle. */
class RevocationServersTest {
  private static final TestPki PKI = TestPki.shared();

  private static byte[] get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try (InputStream in = c.getInputStream()) {
      assertThat(c.getResponseCode()).isEqualTo(200);
      return in.readAllBytes();
    } finally {
      c.disconnect();
    }
  }

  @Test
  void ocspResponder_getRequest_answersSignedRevoked() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(PKI)) {
      Credentials leaf = ocsp.leaf(CertStatus.REVOKED);
      CertificateID id = new CertificateID(
          new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
          new JcaX509CertificateHolder(PKI.intermediate()), leaf.certificate().getSerialNumber());
      byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
      byte[] der = get(ocsp.url() + "/" + Base64.getUrlEncoder().encodeToString(request)
          .replace("-", "%2B").replace("_", "%2F"));
      BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
      assertThat(basic.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(PKI.intermediate().getPublicKey()))).isTrue();
      assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
      assertThat(ocsp.requests()).isEqualTo(1);
    }
  }

  @Test
  void ocspResponder_responseFor_matchesWhatHttpServes() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(PKI)) {
      Credentials leaf = ocsp.leaf(CertStatus.GOOD);
      OCSPResp resp = new OCSPResp(ocsp.responseFor(leaf.certificate()));
      assertThat(resp.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
      assertThat(((BasicOCSPResp) resp.getResponseObject()).getResponses()[0].getCertStatus()).isNull();
      assertThat(ocsp.requests()).isZero();
    }
  }

  @Test
  void ocspResponder_stopped_refusesConnections() {
    OcspResponder ocsp = OcspResponder.start(PKI);
    ocsp.stop();
    assertThatThrownBy(() -> get(ocsp.url())).isInstanceOf(ConnectException.class);
    assertThat(ocsp.toString()).contains("down");
  }

  @Test
  void crlServer_servesSignedCrlListingRevoked() throws Exception {
    try (CrlServer crl = CrlServer.start(PKI)) {
      Credentials leaf = PKI.leafBuilder().crlDistributionPoint(crl.url()).build();
      crl.revoke(leaf.certificate());
      X509CRL x509 = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new ByteArrayInputStream(get(crl.url())));
      x509.verify(PKI.intermediate().getPublicKey());
      assertThat(x509.getIssuerX500Principal()).isEqualTo(PKI.intermediate().getSubjectX500Principal());
      assertThat(x509.isRevoked(leaf.certificate())).isTrue();
      assertThat(x509.isRevoked(PKI.leaf())).isFalse();
      assertThat(x509.getNextUpdate()).isAfter(new java.util.Date());
      assertThat(crl.requests()).isEqualTo(1);
    }
  }

  @Test
  void certificateBuilder_mustStaple_writesTlsFeatureStatusRequest() throws Exception {
    Credentials leaf = PKI.leafBuilder().mustStaple().build();
    byte[] ext = leaf.certificate().getExtensionValue("1.3.6.1.5.5.7.1.24");
    // OCTET STRING { SEQUENCE { INTEGER 5 } }
    assertThat(ext).containsExactly(0x04, 0x05, 0x30, 0x03, 0x02, 0x01, 0x05);
  }
}
