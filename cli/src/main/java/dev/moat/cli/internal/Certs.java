package dev.moat.cli.internal;

import dev.moat.core.Pin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Reading certificates the way the CLI needs: bounded file reads, PEM blocks judged one by one (a
 * bad block is reported, not fatal, where the caller wants that), DER as a fallback, and text for
 * people with every certificate-controlled character made harmless for a terminal.
 */
public final class Certs {
  /** No certificate bundle is anywhere near this; bigger files are refused before parsing. */
  public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  private Certs() {}

  /** One PEM block, or the whole file when it is not PEM: its DER, or why it is unusable. */
  public record Block(String type, int index, byte @Nullable [] der, @Nullable String error) {}

  /** A certificate parsed from a block, or the reason it did not parse. */
  public record Parsed(int index, @Nullable X509Certificate certificate, @Nullable String error) {}

  /** Reads at most {@link #MAX_FILE_BYTES} bytes. */
  public static byte[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_FILE_BYTES) {
          throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes; refused");
        }
      }
      return out.toByteArray();
    }
  }

  /** Whether the bytes look like PEM text. */
  public static boolean isPem(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
  }

  /** Every {@code -----BEGIN x-----} block, each with its DER or the reason it cannot be decoded. */
  public static List<Block> pemBlocks(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Block> blocks = new ArrayList<>();
    int pos = 0;
    while (blocks.size() < 10_000) {
      int begin = text.indexOf("-----BEGIN ", pos);
      if (begin < 0) {
        break;
      }
      int index = blocks.size() + 1;
      int typeEnd = text.indexOf("-----", begin + 11);
      int lineEnd = text.indexOf('\n', begin);
      if (typeEnd < 0 || (lineEnd >= 0 && typeEnd > lineEnd)) {
        blocks.add(new Block("?", index, null, "PEM block " + index + " has a malformed BEGIN line"));
        pos = begin + 11;
        continue;
      }
      String type = text.substring(begin + 11, typeEnd);
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, typeEnd + 5);
      if (end < 0) {
        blocks.add(new Block(type, index, null,
            "PEM block " + index + " (" + sanitize(type, 40) + ") has no END line: truncated"));
        break;
      }
      String body = text.substring(typeEnd + 5, end);
      try {
        blocks.add(new Block(type, index, Base64.getMimeDecoder().decode(stripHeaders(body)), null));
      } catch (IllegalArgumentException e) {
        blocks.add(new Block(type, index, null,
            "PEM block " + index + " (" + sanitize(type, 40) + ") is not valid base64"));
      }
      pos = end + endMarker.length();
    }
    return blocks;
  }

  private static String stripHeaders(String body) {
    if (body.indexOf(':') < 0) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    for (String line : body.split("\n", -1)) {
      if (line.indexOf(':') < 0) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * Every certificate of a PEM file (CERTIFICATE blocks) or DER file, each parsed on its own, so
   * the caller decides whether one bad block spoils the file.
   */
  public static List<Parsed> certificates(byte[] bytes) {
    List<Parsed> out = new ArrayList<>();
    if (!isPem(bytes)) {
      if (bytes.length > 0) {
        out.add(parse(1, bytes));
      }
      return out;
    }
    for (Block b : pemBlocks(bytes)) {
      if (b.der() == null) {
        out.add(new Parsed(b.index(), null, b.error()));
      } else if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
        out.add(parse(b.index(), b.der()));
      }
    }
    return out;
  }

  /**
   * The certificates of a file that must be entirely good.
   *
   * @throws IllegalArgumentException naming the file and the first bad block, or saying it has none
   */
  public static List<X509Certificate> strictCertificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    for (Parsed p : certificates(read(file))) {
      if (p.certificate() == null) {
        throw new IllegalArgumentException(file + ": " + p.error());
      }
      out.add(p.certificate());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          file + ": no certificate found; expected PEM (-----BEGIN CERTIFICATE-----) or DER");
    }
    return out;
  }

  static Parsed parse(int index, byte[] der) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> all =
          factory.generateCertificates(new ByteArrayInputStream(der));
      if (all.size() != 1 || !(all.iterator().next() instanceof X509Certificate)) {
        return new Parsed(index, null, "block " + index + " holds " + all.size() + " certificates, expected 1");
      }
      return new Parsed(index, (X509Certificate) all.iterator().next(), null);
    } catch (CertificateException | RuntimeException e) {
      return new Parsed(index, null, "block " + index + " is not a valid X.509 certificate: "
          + sanitize(String.valueOf(e.getMessage()), 160));
    }
  }

  // ------------------------------------------------------------------ describing

  /** The subject or issuer as RFC 2253 text, made safe for a terminal. */
  public static String name(X500Principal p) {
    String s = p.getName(X500Principal.RFC2253);
    return s.isEmpty() ? "(empty)" : sanitize(s, 200);
  }

  /** SAN entries as {@code DNS:a, IP:1.2.3.4, email:x}; empty when it has none or they don't parse. */
  public static List<String> sans(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> all = c.getSubjectAlternativeNames();
      if (all == null) {
        return out;
      }
      for (List<?> san : all) {
        Object type = san.get(0);
        Object value = san.get(1);
        String label;
        switch (type instanceof Integer ? (Integer) type : -1) {
          case 1: label = "email"; break;
          case 2: label = "DNS"; break;
          case 6: label = "URI"; break;
          case 7: label = "IP"; break;
          default: label = "other(" + type + ")"; break;
        }
        out.add(label + ":" + (value instanceof String ? sanitize((String) value, 120) : "(binary)"));
        if (out.size() >= 50) {
          out.add("... (" + all.size() + " names)");
          break;
        }
      }
    } catch (CertificateException | RuntimeException e) {
      out.add("(subjectAltName does not parse: " + sanitize(String.valueOf(e.getMessage()), 80) + ")");
    }
    return out;
  }

  /** Key algorithm, e.g. {@code RSA} or {@code EC}. */
  public static String keyType(PublicKey key) {
    return sanitize(key.getAlgorithm(), 40);
  }

  /** Key size in bits, or -1 when unknown. */
  public static int keyBits(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return ((RSAPublicKey) key).getModulus().bitLength();
    }
    if (key instanceof ECPublicKey) {
      return ((ECPublicKey) key).getParams().getOrder().bitLength();
    }
    String alg = key.getAlgorithm();
    if (alg.equalsIgnoreCase("Ed25519") || alg.equalsIgnoreCase("X25519")) {
      return 255;
    }
    if (alg.equalsIgnoreCase("Ed448") || alg.equalsIgnoreCase("X448")) {
      return 448;
    }
    return -1;
  }

  /** Whole days from {@code now} to the certificate's notAfter (negative once expired). */
  public static long daysLeft(X509Certificate c, Instant now) {
    return Math.floorDiv(Duration.between(now, c.getNotAfter().toInstant()).toSeconds(), 86_400L);
  }

  public static String pin(X509Certificate c) {
    return Pin.of(c).toString();
  }

  /**
   * Replaces control, format (bidi overrides and the like), surrogate and unassigned characters with
   * '?', and shortens to {@code max} characters: certificate text must not steer a terminal.
   */
  public static String sanitize(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(safe(c) ? c : '?');
    }
    if (s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }

  private static boolean safe(char c) {
    if (c >= 0x20 && c <= 0x7e) {
      return true;
    }
    if (c < 0xa0) {
      return false;
    }
    int type = Character.getType(c);
    return type != Character.FORMAT && type != Character.SURROGATE && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR && type != Character.CONTROL;
  }
}
