package dev.moat.core.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
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

  /** The subject's common names, in order (usually none or one). */
  static List<String> commonNames(X509Certificate c) {
    List<String> out = new ArrayList<>(1);
    try {
      X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
      for (RDN rdn : subject.getRDNs()) {
        for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
          if (BCStyle.CN.equals(atv.getType()) && atv.getValue() instanceof ASN1String) {
            out.add(((ASN1String) atv.getValue()).getString());
          }
        }
      }
    } catch (RuntimeException e) {
      // an unreadable subject has no usable CN; the JDK already parsed it once
    }
    return out;
  }

  /** Whether a CN reads as a DNS name (so name constraints and the CN-in-SAN rule apply to it). */
  static boolean looksLikeHostName(String cn) {
    String n = cn.endsWith(".") ? cn.substring(0, cn.length() - 1) : cn;
    return n.indexOf('.') > 0 && dnsProblem(n, true) == null;
  }
}
