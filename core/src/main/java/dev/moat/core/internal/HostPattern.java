package dev.moat.core.internal;

import java.util.Locale;
import java.util.Objects;

/**
 * A host pattern of a per-host rule, with OkHttp's {@code CertificatePinner} semantics: {@code
 * host.example.com} matches that host; {@code *.example.com} matches exactly one more label; {@code
 * **.example.com} matches {@code example.com} and any name below it.
 */
public final class HostPattern {
  private final String pattern;
  private final String suffix;
  private final int kind; // 0 exact, 1 one label, 2 any depth

  private HostPattern(String pattern, String suffix, int kind) {
    this.pattern = pattern;
    this.suffix = suffix;
    this.kind = kind;
  }

  public static HostPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "hostPattern");
    String p = HostNames.normalize(pattern);
    String rest;
    int kind;
    if (p.startsWith("**.")) {
      kind = 2;
      rest = p.substring(3);
    } else if (p.startsWith("*.")) {
      kind = 1;
      rest = p.substring(2);
    } else {
      kind = 0;
      rest = p;
    }
    if (rest.isEmpty() || rest.indexOf('*') >= 0 || rest.startsWith(".") || rest.endsWith(".")
        || rest.contains("..")) {
      throw new IllegalArgumentException(
          "host pattern '" + Texts.sanitize(pattern, 100) + "' is not valid; use host.example.com, "
              + "*.example.com (one label) or **.example.com (any depth)");
    }
    if (kind != 0 && rest.indexOf('.') < 0 && !HostNames.isIpLiteral(rest)) {
      throw new IllegalArgumentException(
          "host pattern '" + Texts.sanitize(pattern, 100) + "' would match a whole top-level domain; "
              + "name a registrable domain such as *.example.com");
    }
    if (kind != 0 && HostNames.isIpLiteral(rest)) {
      throw new IllegalArgumentException(
          "host pattern '" + Texts.sanitize(pattern, 100) + "': wildcards do not apply to IP addresses");
    }
    return new HostPattern(p, rest.toLowerCase(Locale.ROOT), kind);
  }

  /** Whether the (normalized) host matches. */
  public boolean matches(String normalizedHost) {
    switch (kind) {
      case 0:
        return normalizedHost.equals(suffix);
      case 1: {
        int dot = normalizedHost.indexOf('.');
        return dot > 0 && normalizedHost.substring(dot + 1).equals(suffix);
      }
      default:
        return normalizedHost.equals(suffix)
            || (normalizedHost.endsWith(suffix)
                && normalizedHost.charAt(normalizedHost.length() - suffix.length() - 1) == '.');
    }
  }

  public boolean isExact() {
    return kind == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostPattern && ((HostPattern) o).pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
