package dev.moat.benchmarks;

import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The PKI, policies and JDK baselines every benchmark shares. */
final class Fixtures {
  static final String HOST = "localhost";

  final TestPki pki = TestPki.create(HOST);
  final Credentials ec = pki.goodChain();
  final Credentials rsa = pki.leafBuilder().issuer(pki.intermediateCredentials()).rsaKey(2048).build();

  /** Moat with revocation off: the benchmarks measure validation, not network fetching. */
  TlsPolicy policy() {
    return TlsPolicy.builder().trustRoot(pki.root()).revocation(Revocation.off()).build();
  }

  Credentials credentials(String keyType) {
    return keyType.equals("RSA") ? rsa : ec;
  }

  static X509Certificate[] array(List<X509Certificate> chain) {
    return new ArrayList<>(chain).toArray(new X509Certificate[0]);
  }

  /** The JDK's default PKIX trust manager trusting the same root. */
  X509TrustManager jdkTrustManager() throws Exception {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(pki.trustStore());
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        return (X509TrustManager) tm;
      }
    }
    throw new IllegalStateException("no X509TrustManager");
  }

  /** A JDK client context trusting the same root. */
  SSLContext jdkContext() throws Exception {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, new TrustManager[] {jdkTrustManager()}, null);
    return c;
  }

}
