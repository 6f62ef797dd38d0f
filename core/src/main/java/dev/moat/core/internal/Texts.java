package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/** Formats refusal messages; hostile certificate text is escaped and bounded here. */
public final class Texts {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
  /** More than this many chain entries are summarised, so a hostile chain cannot flood logs. */
  private static final int MAX_CHAIN_LINES = 10;

  private Texts() {}

  public static String refusalMessage(
      Check check,
      String host,
      int port,
      String protocol,
      List<X509Certificate> chain,
      String reason,
      List<String> details,
      @Nullable String fix) {
    StringBuilder b = new StringBuilder(512);
    b.append("Refused TLS connection to ")
        .append(hostPort(host, port))
        .append(" (")
        .append(protocol)
        .append(") [check: ")
        .append(check)
        .append("]\n  ")
        .append(reason);
    if (chain.isEmpty()) {
      b.append("\n  Peer chain: none presented");
    } else {
      b.append("\n  Peer chain, leaf first (SPKI SHA-256):");
      int shown = Math.min(chain.size(), MAX_CHAIN_LINES);
      for (int i = 0; i < shown; i++) {
        b.append("\n    ").append(i).append(' ').append(describe(chain.get(i)));
      }
      if (chain.size() > shown) {
        b.append("\n    ... ").append(chain.size() - shown).append(" more certificates");
      }
    }
    for (String d : details) {
      b.append("\n  ").append(d.replace("\n", "\n  "));
    }
    if (fix != null) {
      b.append("\n  ").append(fix.replace("\n", "\n  "));
    }
    return b.toString();
  }

  /** {@code sha256/...  CN=name  (valid until 2027-01-01)} for one certificate. */
  public static String describe(X509Certificate c) {
    String pin;
    try {
      pin = Pin.of(c).toString();
    } catch (RuntimeException e) {
      pin = "(no pin: unreadable public key)";
    }
    return pin
        + "  "
        + subject(c.getSubjectX500Principal())
        + "  (valid "
        + DAY.format(c.getNotBefore().toInstant())
        + " to "
        + DAY.format(c.getNotAfter().toInstant())
        + ")";
  }

  /** A subject name in RFC 2253 form, bounded and with control characters escaped. */
  public static String subject(X500Principal p) {
    String s = p.getName(X500Principal.RFC2253);
    return s.isEmpty() ? "(empty subject)" : sanitize(s, 120);
  }

  /** Escapes control characters and bounds the length of untrusted text. */
  public static String sanitize(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    if (b.length() >= max && s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }

  public static String hostPort(String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return port >= 0 ? h + ":" + port : h;
  }

  /** A Java string literal for generated fix snippets. */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
