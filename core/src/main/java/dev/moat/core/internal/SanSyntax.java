package dev.moat.core.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Syntax of DNS names in certificates (RFC 5280 preferred name syntax, as the Baseline Requirements apply it). */
final class SanSyntax {
  private SanSyntax() {}

  /**
   * Why {@code name} is not a valid dNSName, or null. Allowed: letters, digits and hyphens in
   * labels of 1 to 63 characters, not starting or ending with a hyphen, at most 253 characters, and
   * (when {@code allowWildcard}) a {@code *} as the whole left-most label. The phrase returned fits
   * after "which".
   */
  static @Nullable String dnsProblem(String name, boolean allowWildcard) {
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.length() > 253) {
      return "is longer than 253 characters";
    }
    String rest = name;
    if (allowWildcard && name.startsWith("*.")) {
      rest = name.substring(2);
    }
    String[] labels = rest.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) {
        return "has an empty label (a leading dot, or two dots in a row)";
      }
      if (label.length() > 63) {
        return "has a label longer than 63 characters";
      }
      for (int i = 0; i < label.length(); i++) {
        char ch = label.charAt(i);
        if (ch == '*') {
          return allowWildcard
              ? "has a wildcard that is not the whole left-most label (only *.example.com is allowed)"
              : "contains a wildcard";
        }
        if (ch == '_') {
          return "contains an underscore, which host names may not (RFC 5280 preferred name syntax, "
              + "CA/Browser Forum Baseline Requirements)";
        }
        if (ch > 0x7e) {
          return "is not ASCII (internationalized names must be written as A-labels, xn--...)";
        }
        boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
        if (!ok) {
          return "contains the character '" + Texts.sanitize(String.valueOf(ch), 8) + "', not allowed in host names";
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "has a label that starts or ends with a hyphen";
      }
    }
    return null;
  }

  /** The contents octets of the OID 2.5.4.3 (id-at-commonName). */
  private static final byte[] CN_OID = {0x55, 0x04, 0x03};

  /**
   * The subject's common names, in order (usually none or one): each id-at-commonName value that
   * is a character string. Read with {@link Der}, not Bouncy Castle, to keep handshakes from
   * loading it.
   */
  static List<String> commonNames(X509Certificate c) {
    try {
      return commonNames(c.getSubjectX500Principal().getEncoded());
    } catch (RuntimeException e) {
      return List.of(); // an unreadable subject has no usable CN; the JDK already parsed it once
    }
  }

  /**
   * Why the subject's common names cannot be read (a value that does not decode, a CN that is no
   * character string, a subject that does not parse), or null when they can. Checked before any
   * rule that reads CNs, so a bad value can never make the others invisible.
   */
  static @Nullable String subjectProblem(X509Certificate c) {
    try {
      commonNames(c.getSubjectX500Principal().getEncoded());
      return null;
    } catch (RuntimeException e) {
      return Texts.sanitize(String.valueOf(e.getMessage()), 160);
    }
  }

  /** The common names in a DER-encoded X.500 Name; throws {@link Der.Malformed} if it does not parse. */
  static List<String> commonNames(byte[] encodedName) {
    List<String> out = new ArrayList<>(1);
    Der rdns = Der.single(encodedName).expect(Der.SEQUENCE).contents();
    while (rdns.hasNext()) {
      Der atvs = rdns.next().expect(Der.SET).contents();
      while (atvs.hasNext()) {
        Der atv = atvs.next().expect(Der.SEQUENCE).contents();
        Der.Tlv type = atv.next().expect(Der.OID);
        Der.Tlv value = atv.next();
        atv.finish();
        if (type.contentsEqual(CN_OID)) {
          String text = value.string();
          if (text == null) {
            // A CN that is no character string could carry any name past the CN rules: refuse it.
            throw new Der.Malformed("a commonName value is not a character string");
          }
          out.add(text);
        }
      }
    }
    return out;
  }

  /** Whether a CN reads as a DNS name (so name constraints and the CN-in-SAN rule apply to it). */
  static boolean looksLikeHostName(String cn) {
    String n = cn.endsWith(".") ? cn.substring(0, cn.length() - 1) : cn;
    return n.indexOf('.') > 0 && dnsProblem(n, true) == null;
  }
}
