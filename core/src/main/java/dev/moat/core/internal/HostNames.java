package dev.moat.core.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Host name normalisation and IP literal parsing, without DNS look-ups. */
public final class HostNames {
  private HostNames() {}

  /**
   * Lower case, trailing dot removed, IDNs as A-labels, brackets removed from IPv6 literals, IPv6
   * literals in canonical form.
   *
   * @throws IllegalArgumentException for a name that is not a valid host name or IP literal: one
   *     with a character other than a letter, digit, '-', '_' or '.' (spaces, CR/LF, ':' from a
   *     {@code host:port} mistake, '/', '@'...), a leading {@code *.} or {@code **.} of a host
   *     pattern aside
   */
  public static String normalize(String host) {
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("host name is empty");
    }
    byte[] ip = ipLiteral(h);
    if (ip != null) {
      try {
        return InetAddress.getByAddress(ip).getHostAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("bad IP literal " + Texts.sanitize(host, 60), e);
      }
    }
    boolean ascii = true;
    for (int i = 0; i < h.length(); i++) {
      if (h.charAt(i) > 0x7e) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      try {
        h = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "host name '" + Texts.sanitize(host, 100) + "' is not a valid internationalized name", e);
      }
    }
    String problem = asciiHostProblem(h);
    if (problem != null) {
      throw new IllegalArgumentException("host name '" + Texts.sanitize(host, 100) + "' " + problem
          + "; a host name has only letters, digits, '-', '_' and '.', or is an IPv4 or [IPv6] literal");
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /**
   * Why an ASCII host is not one a client can dial, or null. Letters, digits, hyphen, underscore
   * (found in some internal DNS names; certificate SANs still may not carry it) and dot; a host
   * pattern may also start with a {@code *.} or {@code **.} label (see {@link HostPattern}).
   */
  static @Nullable String asciiHostProblem(String h) {
    int start = h.startsWith("**.") ? 3 : h.startsWith("*.") ? 2 : 0;
    for (int i = start; i < h.length(); i++) {
      char c = h.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return "contains " + describe(c) + " at position " + (i + 1);
      }
    }
    return null;
  }

  private static String describe(char c) {
    if (c > 0x20 && c < 0x7f) {
      return "the character '" + c + "'";
    }
    return c == ' ' ? "a space" : String.format("the character U+%04X", (int) c);
  }

  public static boolean isIpLiteral(String host) {
    return ipLiteral(host) != null;
  }

  /**
   * The bytes of an IPv4 dotted-quad or IPv6 literal, or null when the text is not one. Never
   * resolves a name.
   */
  public static byte @Nullable [] ipLiteral(String host) {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.indexOf(':') >= 0) {
      int percent = h.indexOf('%');
      if (percent >= 0) {
        h = h.substring(0, percent);
      }
      for (int i = 0; i < h.length(); i++) {
        char c = h.charAt(i);
        if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
          return null;
        }
      }
      try {
        // Only hex digits, colons and dots: InetAddress parses it as a literal, never via DNS.
        byte[] b = InetAddress.getByName(h).getAddress();
        return b;
      } catch (UnknownHostException | RuntimeException e) {
        return null;
      }
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }
}
