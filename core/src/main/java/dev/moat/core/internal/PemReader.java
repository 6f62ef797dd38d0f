package dev.moat.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A strict, bounded PEM block reader: clear errors for garbage, no regular expressions on input. */
public final class PemReader {
  /** PEM files larger than this are refused: no trust bundle or key file is anywhere near it. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /** One {@code -----BEGIN type-----} ... {@code -----END type-----} block. */
  public record Block(String type, byte[] der, int index) {}

  private PemReader() {}

  public static String read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          file + " is " + size + " bytes; PEM files above " + MAX_FILE_BYTES + " bytes are refused");
    }
    return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
  }

  /** Every PEM block of the text, in order. */
  public static List<Block> blocks(String text, String source) {
    List<Block> blocks = new ArrayList<>();
    int pos = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", pos);
      if (begin < 0) {
        break;
      }
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        throw new IllegalArgumentException(source + ": truncated PEM header at offset " + begin);
      }
      String type = text.substring(begin + 11, typeEnd);
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, typeEnd + 5);
      if (end < 0) {
        throw new IllegalArgumentException(
            source + ": PEM block " + (blocks.size() + 1) + " (" + Texts.sanitize(type, 40)
                + ") has no '" + Texts.sanitize(endMarker, 60) + "' line: the file is truncated or damaged");
      }
      String body = text.substring(typeEnd + 5, end);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(stripHeaders(body));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + ": PEM block " + (blocks.size() + 1) + " (" + Texts.sanitize(type, 40)
                + ") is not valid base64: " + e.getMessage(), e);
      }
      blocks.add(new Block(type, der, blocks.size() + 1));
      pos = end + endMarker.length();
    }
    return blocks;
  }

  /** Drops RFC 1421 headers such as {@code Proc-Type:} (legacy encrypted keys). */
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

  public static List<X509Certificate> certificates(String text, String source) {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory factory = x509Factory();
    for (Block block : blocks(text, source)) {
      if (!block.type().equals("CERTIFICATE") && !block.type().equals("TRUSTED CERTIFICATE")) {
        continue;
      }
      out.add(parseCertificate(factory, block.der(), source + ": PEM block " + block.index()));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": no '-----BEGIN CERTIFICATE-----' block found; expected PEM-encoded X.509 certificates");
    }
    return out;
  }

  public static X509Certificate parseCertificate(CertificateFactory factory, byte[] der, String what) {
    try {
      return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(
          what + " is not a valid X.509 certificate: " + Texts.sanitize(String.valueOf(e.getMessage()), 200), e);
    }
  }

  public static CertificateFactory x509Factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 certificate factory missing from this JVM", e);
    }
  }
}
