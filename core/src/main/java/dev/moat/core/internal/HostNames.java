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
   * @throws IllegalArgumentException for a name that is not a valid host name or IP literal
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
    return h.toLowerCase(Locale.ROOT);
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
