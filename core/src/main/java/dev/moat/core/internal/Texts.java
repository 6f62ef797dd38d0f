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
        .append(sanitize(protocol, 40))
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

  /**
   * Escapes every character that could change how the text reads, and bounds the length of
   * untrusted text. Escaped as {@code \\uXXXX}: controls (C0, DEL, C1), format characters (bidi
   * overrides and isolates, zero-width characters, soft hyphen...), the line and paragraph
   * separators U+2028/U+2029, unpaired surrogates and private-use characters.
   */
  public static String sanitize(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max + 3));
    int i = 0;
    while (i < s.length() && b.length() < max) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (mustEscape(cp)) {
        for (int k = i; k < i + n; k++) {
          b.append(String.format("\\u%04x", (int) s.charAt(k)));
        }
      } else {
        b.appendCodePoint(cp);
      }
      i += n;
    }
    if (i < s.length()) {
      b.append("...");
    }
    return b.toString();
  }

  /** Whether a code point is escaped by {@link #sanitize} and {@link #quote}. */
  static boolean mustEscape(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE: // only unpaired ones: pairs arrive here as one code point
      case Character.PRIVATE_USE:
        return true;
      default:
        return false;
    }
  }

  /** {@code host:port}, IPv6 literals in brackets; the host is sanitised (it may come from configuration). */
  public static String hostPort(String host, int port) {
    String safe = sanitize(host, 260);
    String h = safe.indexOf(':') >= 0 && !safe.startsWith("[") ? "[" + safe + "]" : safe;
    return port >= 0 ? h + ":" + port : h;
  }

  /**
   * A Java string literal for generated fix snippets: backslash and quote escaped, and every
   * character {@link #sanitize} escapes written as a Java escape, so the snippet is one line that
   * reads as what it is and compiles as such.
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    int i = 0;
    while (i < s.length() && b.length() < 300) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp == '\\' || cp == '"') {
        b.append('\\').append((char) cp);
      } else if (cp == '\n') {
        b.append("\\n");
      } else if (cp == '\r') {
        b.append("\\r");
      } else if (cp == '\t') {
        b.append("\\t");
      } else if (mustEscape(cp)) {
        for (int k = i; k < i + n; k++) {
          b.append(String.format("\\u%04x", (int) s.charAt(k)));
        }
      } else {
        b.appendCodePoint(cp);
      }
      i += n;
    }
    if (i < s.length()) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
