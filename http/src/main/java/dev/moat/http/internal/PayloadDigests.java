package dev.moat.http.internal;

import dev.moat.http.PayloadIntegrityException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks a plaintext response body against the digests its headers announce. One instance per
 * response; feed it the body bytes exactly as they came off the wire (before any content decoding),
 * then call {@link #finish()}.
 */
public final class PayloadDigests {
  private final List<Expected> expected;
  private final String endpoint;
  private long bytes;
  private boolean finished;

  private PayloadDigests(List<Expected> expected, String endpoint) {
    this.expected = expected;
    this.endpoint = endpoint;
  }

  /**
   * The digests announced by a response, or null when it announces none that Moat checks.
   *
   * @param header all values of a header, by name (case-insensitive lookup is the caller's)
   * @param status the response status; representation digests are skipped on 206
   * @param endpoint the URL without credentials, for messages
   * @throws PayloadIntegrityException when a digest header is malformed
   */
  public static PayloadDigests fromHeaders(
      Function<String, List<String>> header, int status, String endpoint)
      throws PayloadIntegrityException {
    List<Expected> expected = new ArrayList<>();
    for (String value : header.apply("Content-MD5")) {
      expected.add(expected("Content-MD5", "MD5", value.trim(), endpoint));
    }
    boolean partial = status == 206;
    if (!partial) {
      // Azure's blob MD5 and RFC 9530 Repr-Digest describe the whole representation, which a
      // range response does not carry.
      for (String value : header.apply("x-ms-blob-content-md5")) {
        expected.add(expected("x-ms-blob-content-md5", "MD5", value.trim(), endpoint));
      }
      for (String value : header.apply("Repr-Digest")) {
        parseStructured("Repr-Digest", value, endpoint, expected);
      }
    }
    for (String value : header.apply("Content-Digest")) {
      parseStructured("Content-Digest", value, endpoint, expected);
    }
    return new PayloadDigests(expected, endpoint);
  }

  /** True when the response announced at least one digest Moat checks. */
  public boolean isEmpty() {
    return expected.isEmpty();
  }

  /** The header names that will be checked, for messages. */
  public List<String> headerNames() {
    List<String> names = new ArrayList<>();
    for (Expected e : expected) {
      names.add(e.label);
    }
    return names;
  }

  public void update(byte[] b, int off, int len) {
    bytes += len;
    for (Expected e : expected) {
      e.digest.update(b, off, len);
    }
  }

  public void update(ByteBuffer buffer) {
    bytes += buffer.remaining();
    for (Expected e : expected) {
      e.digest.update(buffer.duplicate());
    }
  }

  /**
   * Compares every announced digest with the body read so far; call once, at the end of the body.
   *
   * @throws PayloadIntegrityException naming the header, the expected and the actual digest
   */
  public void finish() throws PayloadIntegrityException {
    if (finished) {
      return;
    }
    finished = true;
    for (Expected e : expected) {
      byte[] actual = e.digest.digest();
      if (!MessageDigest.isEqual(actual, e.value)) {
        throw new PayloadIntegrityException(
            "Payload integrity check failed for " + endpoint + " [" + e.label + "]\n"
                + "  The body (" + bytes + " bytes, received in plaintext) does not match the digest"
                + " the server sent: it was altered in transit, or the server's digest is wrong.\n"
                + "  expected " + e.label + ": " + Base64.getEncoder().encodeToString(e.value) + "\n"
                + "  received body hashes to: " + Base64.getEncoder().encodeToString(actual) + "\n"
                + "  This host is reached without TLS (TlsPolicy insecureAllowPlaintextTo); use https"
                + " so that TLS protects the payload.");
      }
    }
  }

  /** The error for a response without any digest when one is required. */
  public static PayloadIntegrityException missing(String endpoint, String host) {
    return new PayloadIntegrityException(
        "Payload integrity required for " + endpoint + " but the response carries no digest\n"
            + "  The response came in plaintext and has no Content-MD5, x-ms-blob-content-md5,"
            + " or sha-256/sha-512 Content-Digest or Repr-Digest header, so nothing proves it was"
            + " not altered in transit.\n"
            + "  Make the server send Content-Digest (RFC 9530), use https, or drop"
            + " HttpOptions.requireIntegrityFor(\"" + host + "\").");
  }

  private static Expected expected(String header, String algorithm, String base64, String endpoint)
      throws PayloadIntegrityException {
    byte[] value;
    try {
      value = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw malformed(header, endpoint, "not base64");
    }
    MessageDigest digest = newDigest(algorithm);
    if (value.length != digest.getDigestLength()) {
      throw malformed(header, endpoint, "a " + algorithm + " digest has " + digest.getDigestLength()
          + " bytes, this one " + value.length);
    }
    String label = header.startsWith("Content-MD5") || header.startsWith("x-ms")
        ? header : header + " " + algorithm.toLowerCase(Locale.ROOT);
    return new Expected(label, digest, value);
  }

  /** RFC 9530 dictionary: {@code sha-256=:BASE64:, sha-512=:BASE64:}; other algorithms ignored. */
  private static void parseStructured(
      String header, String value, String endpoint, List<Expected> out)
      throws PayloadIntegrityException {
    for (String member : value.split(",")) {
      String m = member.trim();
      if (m.isEmpty()) {
        continue;
      }
      int semicolon = m.indexOf(';');
      if (semicolon >= 0) {
        m = m.substring(0, semicolon).trim(); // parameters carry nothing we check
      }
      int eq = m.indexOf('=');
      if (eq <= 0) {
        throw malformed(header, endpoint, "member '" + m + "' has no value");
      }
      String key = m.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String item = m.substring(eq + 1).trim();
      String algorithm;
      if (key.equals("sha-256")) {
        algorithm = "SHA-256";
      } else if (key.equals("sha-512")) {
        algorithm = "SHA-512";
      } else {
        continue; // md5, sha, unixsum... are deprecated by RFC 9530 and not trusted here
      }
      if (item.length() < 2 || item.charAt(0) != ':' || item.charAt(item.length() - 1) != ':') {
        throw malformed(header, endpoint, key + " is not a byte sequence (:base64:)");
      }
      Expected e = expected(header, algorithm, item.substring(1, item.length() - 1), endpoint);
      out.add(new Expected(header + " " + key, e.digest, e.value));
    }
  }

  private static PayloadIntegrityException malformed(String header, String endpoint, String why) {
    return new PayloadIntegrityException(
        "Payload integrity check failed for " + endpoint + " [" + header + "]\n"
            + "  The " + header + " header is malformed (" + why + "), so the body cannot be"
            + " checked; it is refused.");
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }

  private static final class Expected {
    final String label;
    final MessageDigest digest;
    final byte[] value;

    Expected(String label, MessageDigest digest, byte[] value) {
      this.label = label;
      this.digest = digest;
      this.value = value;
    }
  }
}
