package dev.moat.core;

import java.util.Locale;

/**
 * The TLS versions Moat will speak. Older versions are not representable: TLS 1.0 and 1.1 are
 * refused by every policy.
 */
public enum TlsVersion {
  /** TLS 1.2 (RFC 5246), with AEAD, forward-secret cipher suites only. */
  TLS_1_2("TLSv1.2"),
  /** TLS 1.3 (RFC 8446). */
  TLS_1_3("TLSv1.3");

  private final String jsseName;

  TlsVersion(String jsseName) {
    this.jsseName = jsseName;
  }

  /** The protocol name JSSE uses, such as {@code TLSv1.3}. */
  public String jsseName() {
    return jsseName;
  }

  /**
   * Parses a JSSE protocol name ({@code TLSv1.2}) or an enum name ({@code TLS_1_2}).
   *
   * @throws IllegalArgumentException for any other version, naming the allowed ones
   */
  public static TlsVersion parse(String name) {
    for (TlsVersion v : values()) {
      if (v.jsseName.equalsIgnoreCase(name) || v.name().equalsIgnoreCase(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "TLS version '"
            + name
            + "' is not supported; use TLSv1.2 or TLSv1.3"
            + (name.toLowerCase(Locale.ROOT).matches("(tlsv1(\\.[01])?|sslv3|tls_1_[01])")
                ? " (TLS 1.0, 1.1 and SSL 3 are broken and always refused)"
                : ""));
  }
}
