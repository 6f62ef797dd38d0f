package dev.moat.core.internal;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A path from the leaf to a trust anchor.
 *
 * @param certificates leaf first, up to but excluding the anchor, unless the leaf itself is the
 *     anchor (directly trusted), in which case this is just the leaf
 * @param anchor the trust anchor the path ends at
 */
public record ValidatedPath(List<X509Certificate> certificates, X509Certificate anchor) {
  public X509Certificate leaf() {
    return certificates.get(0);
  }

  /** Whether the leaf itself is a configured trust anchor (a directly trusted certificate). */
  public boolean directlyTrusted() {
    return certificates.size() == 1 && certificates.get(0).equals(anchor);
  }

  /** Every certificate including the anchor, leaf first, without repeating a directly trusted leaf. */
  public List<X509Certificate> withAnchor() {
    if (directlyTrusted()) {
      return certificates;
    }
    java.util.ArrayList<X509Certificate> all = new java.util.ArrayList<>(certificates);
    all.add(anchor);
    return all;
  }
}
