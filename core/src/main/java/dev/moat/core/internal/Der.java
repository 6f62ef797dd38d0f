package dev.moat.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A small, strict reader of DER (tag, length, value), for the few structures a handshake reads
 * from certificates: extension OCTET STRINGs, subject common names, subjectAltName emptiness,
 * RSASSA-PSS hash parameters, DNS and IP name constraints. It exists so that an ordinary handshake
 * loads no Bouncy Castle class: bcprov is a signed jar, and its first class load costs hundreds of
 * milliseconds of signature verification on a cold start.
 *
 * <p>Strict and bounded: single-octet tags only (tag numbers 0 to 30), definite lengths of at most
 * four length octets that fit in what remains, no indefinite length, at most {@link #MAX_INPUT}
 * octets of input and {@link #MAX_DEPTH} levels of nesting. Anything else throws {@link
 * Malformed}, which says what and where. A reader never copies its input and never allocates more
 * than a value it returns.
 */
final class Der {
  /** Largest input accepted, in octets. */
  static final int MAX_INPUT = 1 << 20;
  /** Deepest nesting of constructed values accepted. */
  static final int MAX_DEPTH = 16;

  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  /** Malformed or unsupported DER. */
  static final class Malformed extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** One value: its identifier octet and where its contents lie. */
  static final class Tlv {
    private final byte[] data;
    private final int tag;
    private final int start;
    private final int length;
    private final int depth;

    private Tlv(byte[] data, int tag, int start, int length, int depth) {
      this.data = data;
      this.tag = tag;
      this.start = start;
      this.length = length;
      this.depth = depth;
    }

    /** The identifier octet (class, constructed bit and tag number), 0 to 0xff. */
    int tag() {
      return tag;
    }

    int length() {
      return length;
    }

    boolean constructed() {
      return (tag & 0x20) != 0;
    }

    /** A copy of the contents octets. */
    byte[] bytes() {
      return Arrays.copyOfRange(data, start, start + length);
    }

    /** Whether the contents octets equal {@code expected}. */
    boolean contentsEqual(byte[] expected) {
      return Arrays.equals(data, start, start + length, expected, 0, expected.length);
    }

    /** A reader of the values inside this constructed one. */
    Der contents() {
      if (!constructed()) {
        throw new Malformed("a primitive value (tag 0x" + Integer.toHexString(tag) + ") read as constructed");
      }
      if (depth >= MAX_DEPTH) {
        throw new Malformed("nested deeper than " + MAX_DEPTH + " levels");
      }
      return new Der(data, start, start + length, depth + 1);
    }

    /** This value, after checking that its identifier octet is {@code expectedTag}. */
    Tlv expect(int expectedTag) {
      if (tag != expectedTag) {
        throw new Malformed("expected tag 0x" + Integer.toHexString(expectedTag) + " but found 0x"
            + Integer.toHexString(tag) + " at offset " + start);
      }
      return this;
    }

    /**
     * The text of an ASN.1 character string (UTF8String, NumericString, PrintableString,
     * TeletexString, VideotexString, IA5String, GraphicString, VisibleString, GeneralString,
     * UniversalString, BMPString), or null when this is not one.
     */
    @Nullable String string() {
      switch (tag) {
        case 0x0c: // UTF8String
          return new String(data, start, length, StandardCharsets.UTF_8);
        case 0x12: // NumericString
        case 0x13: // PrintableString
        case 0x14: // TeletexString (T61String): each octet as a character, as Bouncy Castle reads it
        case 0x15: // VideotexString
        case 0x16: // IA5String
        case 0x19: // GraphicString
        case 0x1a: // VisibleString
        case 0x1b: // GeneralString
          return new String(data, start, length, StandardCharsets.ISO_8859_1);
        case 0x1e: // BMPString
          if (length % 2 != 0) {
            throw new Malformed("a BMPString of odd length " + length);
          }
          return new String(data, start, length, StandardCharsets.UTF_16BE);
        case 0x1c: // UniversalString
          return universal();
        default:
          return null;
      }
    }

    private String universal() {
      if (length % 4 != 0) {
        throw new Malformed("a UniversalString of length " + length + ", not a multiple of 4");
      }
      StringBuilder b = new StringBuilder(length / 4);
      for (int i = start; i < start + length; i += 4) {
        int cp = (data[i] & 0xff) << 24 | (data[i + 1] & 0xff) << 16 | (data[i + 2] & 0xff) << 8 | (data[i + 3] & 0xff);
        if (!Character.isValidCodePoint(cp)) {
          throw new Malformed("a UniversalString with the invalid code point 0x" + Integer.toHexString(cp));
        }
        b.appendCodePoint(cp);
      }
      return b.toString();
    }
  }

  private final byte[] data;
  private int pos;
  private final int end;
  private final int depth;

  private Der(byte[] data, int pos, int end, int depth) {
    this.data = data;
    this.pos = pos;
    this.end = end;
    this.depth = depth;
  }

  /** A reader of the values in {@code encoded}. */
  static Der of(byte[] encoded) {
    if (encoded.length > MAX_INPUT) {
      throw new Malformed("input of " + encoded.length + " octets exceeds the limit of " + MAX_INPUT);
    }
    return new Der(encoded, 0, encoded.length, 0);
  }

  /** The single value that is the whole of {@code encoded}; trailing octets are refused. */
  static Tlv single(byte[] encoded) {
    Der d = of(encoded);
    Tlv t = d.next();
    d.finish();
    return t;
  }

  /**
   * The contents of an extension value as {@link java.security.cert.X509Certificate#getExtensionValue}
   * returns it (an OCTET STRING wrapping the DER of the extension), as one value.
   */
  static Tlv extension(byte[] extensionValue) {
    return single(single(extensionValue).expect(OCTET_STRING).bytes());
  }

  boolean hasNext() {
    return pos < end;
  }

  /** The next value; throws when none is left or it does not fit. */
  Tlv next() {
    if (pos >= end) {
      throw new Malformed("a value expected at offset " + pos + " but the input ends");
    }
    int at = pos;
    int tag = data[pos++] & 0xff;
    if ((tag & 0x1f) == 0x1f) {
      throw new Malformed("a multi-octet tag at offset " + at + " (not supported)");
    }
    if (pos >= end) {
      throw new Malformed("truncated: no length after the tag at offset " + at);
    }
    int first = data[pos++] & 0xff;
    long length;
    if (first < 0x80) {
      length = first;
    } else if (first == 0x80) {
      throw new Malformed("indefinite length at offset " + at + " (not DER)");
    } else {
      int n = first & 0x7f;
      if (n > 4) {
        throw new Malformed("a length of " + n + " octets at offset " + at + " (at most 4 supported)");
      }
      if (end - pos < n) {
        throw new Malformed("truncated: the length at offset " + at + " is cut off");
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        length = length << 8 | (data[pos++] & 0xff);
      }
    }
    if (length > end - pos) {
      throw new Malformed("truncated: the value at offset " + at + " declares " + length
          + " octets but " + (end - pos) + " remain");
    }
    Tlv t = new Tlv(data, tag, pos, (int) length, depth);
    pos += (int) length;
    return t;
  }

  /** Throws unless every value has been read. */
  void finish() {
    if (pos != end) {
      throw new Malformed((end - pos) + " trailing octet(s) at offset " + pos);
    }
  }
}
