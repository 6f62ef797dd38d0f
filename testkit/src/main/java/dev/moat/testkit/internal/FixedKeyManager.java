package dev.moat.testkit.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * A key manager with exactly one key and chain that it presents whenever the key type fits,
 * whatever the peer's acceptable issuers are. The JDK's own key managers skip certificates they
 * find unsuitable (expired, wrong key usage); a test server must present the defect as told.
 */
public final class FixedKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "moat-testkit";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  public FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain.toArray(new X509Certificate[0]);
  }

  private boolean fits(@Nullable String keyType) {
    if (keyType == null) {
      return false;
    }
    String algorithm = key.getAlgorithm();
    // TLS 1.2 asks for "EC" or "RSA"; TLS 1.3 may ask for "RSASSA-PSS" for an RSA key (rsa_pss_rsae).
    return keyType.equals(algorithm)
        || keyType.startsWith(algorithm + "_")
        || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"));
  }

  private @Nullable String aliasFor(String @Nullable [] keyTypes) {
    if (keyTypes != null) {
      for (String keyType : keyTypes) {
        if (fits(keyType)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public @Nullable String chooseClientAlias(
      String @Nullable [] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public @Nullable String chooseEngineClientAlias(
      String @Nullable [] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public @Nullable String chooseServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
