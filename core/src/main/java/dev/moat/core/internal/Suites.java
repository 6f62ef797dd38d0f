package dev.moat.core.internal;

import dev.moat.core.TlsVersion;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** The AEAD, forward-secret cipher suites Moat allows, filtered to what this JVM supports. */
public final class Suites {
  private static final List<String> TLS13 =
      List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
  private static final List<String> TLS12 =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private Suites() {}

  public static List<String> defaults(TlsVersion minimum) {
    Set<String> supported = supported();
    List<String> out = new ArrayList<>();
    for (String s : TLS13) {
      if (supported.contains(s)) {
        out.add(s);
      }
    }
    if (minimum == TlsVersion.TLS_1_2) {
      for (String s : TLS12) {
        if (supported.contains(s)) {
          out.add(s);
        }
      }
    }
    return List.copyOf(out);
  }

  public static List<String> checkAllowed(List<String> suites) {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("cipherSuites is empty; give at least one suite");
    }
    Set<String> supported = supported();
    for (String s : suites) {
      if (!TLS13.contains(s) && !TLS12.contains(s)) {
        throw new IllegalArgumentException(
            "cipher suite " + Texts.sanitize(String.valueOf(s), 80)
                + " is not allowed: only AEAD, forward-secret suites are; allowed: " + TLS13 + " " + TLS12);
      }
      if (!supported.contains(s)) {
        throw new IllegalArgumentException("cipher suite " + s + " is not supported by this JVM");
      }
    }
    return List.copyOf(suites);
  }

  private static Set<String> supported() {
    return Supported.SUITES;
  }

  /**
   * Asked once, lazily. Empty key and trust manager arrays keep JSSE from loading the default key
   * and trust stores, which a policy with its own roots never needs (a cold-start cost on devices).
   */
  private static final class Supported {
    static final Set<String> SUITES = load();

    private static Set<String> load() {
      try {
        SSLContext probe = SSLContext.getInstance("TLS");
        probe.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
        return Set.of(probe.getSupportedSSLParameters().getCipherSuites());
      } catch (NoSuchAlgorithmException | java.security.KeyManagementException e) {
        throw new IllegalStateException("no TLS implementation in this JVM", e);
      }
    }
  }
}
