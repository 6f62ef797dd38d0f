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
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context in this JVM", e);
    }
  }
}
