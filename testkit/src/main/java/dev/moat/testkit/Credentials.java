package dev.moat.testkit;

import dev.moat.core.internal.ConfiguringSocketFactory;
import dev.moat.testkit.internal.FixedKeyManager;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A private key and the certificate chain that goes with it, leaf first, as a TLS server (or a
 * client in mutual TLS) presents it: the trust anchor itself is not in the chain.
 *
 * <pre>{@code
 * Credentials expired = TestPki.shared().expiredLeaf();
 * X509Certificate leaf = expired.certificate();
 * }</pre>
 *
 * @param key the private key of {@code chain.get(0)}
 * @param chain the certificates, leaf first, never empty
 */
public record Credentials(PrivateKey key, List<X509Certificate> chain) {
  /** Copies the chain; it must hold at least one certificate. */
  public Credentials {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain is empty; it needs at least the leaf certificate");
    }
  }

  /** The end-entity certificate, {@code chain().get(0)}. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * A key manager that presents exactly this key and chain whenever the key type fits, without the
   * JDK's filtering of expired or otherwise unsuitable certificates.
   */
  public X509ExtendedKeyManager keyManager() {
    return new FixedKeyManager(key, chain);
  }

  /**
   * A server-side socket factory presenting these credentials, for servers that layer TLS over the
   * sockets they accept (OkHttp's MockWebServer); every socket enables only these protocols and
   * cipher suites (JSSE names; an empty list keeps the JDK's defaults). No client certificate is
   * asked for.
   *
   * <pre>{@code
   * server.useHttps(pki.goodChain().serverSocketFactory(List.of("TLSv1.3"), List.of()));
   * }</pre>
   */
  public SSLSocketFactory serverSocketFactory(List<String> protocols, List<String> cipherSuites) {
    return ConfiguringSocketFactory.limiting(
        TestPki.sslContext(this, null).getSocketFactory(),
        List.copyOf(protocols),
        List.copyOf(cipherSuites));
  }

  /** The subjects of the chain; never key material. */
  @Override
  public String toString() {
    return "Credentials["
        + key.getAlgorithm()
        + " key, chain="
        + chain.stream()
            .map(c -> c.getSubjectX500Principal().getName())
            .collect(Collectors.joining(" <- ", "[", "]"))
        + "]";
  }
}
