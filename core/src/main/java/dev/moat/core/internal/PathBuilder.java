package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsRefusalException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Builds a path from the leaf to a trust anchor out of the presented certificates, in any order,
 * ignoring superfluous ones. No network fetching. Bounded: at most {@link #MAX_PRESENTED}
 * certificates, {@link Verification#maxIntermediates} intermediates and {@link
 * #MAX_SIGNATURE_CHECKS} signature verifications, so a hostile chain ends quickly.
 */
public final class PathBuilder {
  public static final int MAX_PRESENTED = 16;
  static final int MAX_SIGNATURE_CHECKS = 64;

  private final Verification v;
  private int signatureChecks;
  private X509Certificate deepest;
  private @Nullable X509Certificate anchorWithBadSignature;
  private boolean budgetExhausted;
  private boolean depthExhausted;

  private PathBuilder(Verification v) {
    this.v = v;
    this.deepest = v.presented.get(0);
  }

  public static ValidatedPath build(Verification v) throws TlsRefusalException {
    if (v.presented.isEmpty()) {
      throw v.refuse(Check.MALFORMED, "The peer presented no certificate.", List.of(), null);
    }
    if (v.presented.size() > MAX_PRESENTED) {
      throw v.refuse(
          Check.MALFORMED,
          "The peer presented " + v.presented.size() + " certificates; Moat accepts at most "
              + MAX_PRESENTED + " (real chains have 2 to 4).",
          List.of(),
          "Configure the server to send only its leaf and intermediate certificates.");
    }
    return new PathBuilder(v).run();
  }

  private ValidatedPath run() throws TlsRefusalException {
    X509Certificate leaf = v.presented.get(0);
    if (v.anchors.contains(leaf)) {
      return new ValidatedPath(List.of(leaf), leaf);
    }
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    ValidatedPath found = extend(path);
    if (found != null) {
      return found;
    }
    throw diagnose(leaf);
  }

  private @Nullable ValidatedPath extend(List<X509Certificate> path) {
    X509Certificate current = path.get(path.size() - 1);
    X500Principal issuer = current.getIssuerX500Principal();
    for (X509Certificate anchor : v.anchors.withSubject(issuer)) {
      if (signedBy(current, anchor)) {
        return new ValidatedPath(List.copyOf(path), anchor);
      }
      if (!budgetExhausted) {
        anchorWithBadSignature = anchor;
      }
    }
    int intermediates = 0; // self-issued certificates (key rollover) do not count, as in RFC 5280 6.1
    for (int i = 1; i < path.size(); i++) {
      if (!selfIssued(path.get(i))) {
        intermediates++;
      }
    }
    for (X509Certificate candidate : v.presented) {
      if (budgetExhausted) {
        return null;
      }
      if (!candidate.getSubjectX500Principal().equals(issuer) || path.contains(candidate)) {
        continue;
      }
      if (!selfIssued(candidate) && intermediates >= v.maxIntermediates) {
        depthExhausted = true;
        continue;
      }
      if (signedBy(current, candidate)) {
        path.add(candidate);
        if (path.size() > deepestDepth) {
          deepest = candidate;
          deepestDepth = path.size();
        }
        ValidatedPath found = extend(path);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  private int deepestDepth = 1;

  private static boolean selfIssued(X509Certificate c) {
    return c.getIssuerX500Principal().equals(c.getSubjectX500Principal());
  }

  private boolean signedBy(X509Certificate subject, X509Certificate issuer) {
    if (signatureChecks >= MAX_SIGNATURE_CHECKS) {
      budgetExhausted = true;
      return false;
    }
    signatureChecks++;
    try {
      subject.verify(issuer.getPublicKey());
      return true;
    } catch (Exception e) {
      // Any failure (bad signature, unsupported algorithm, malformed key) means "not this issuer".
      return false;
    }
  }

  private TlsRefusalException diagnose(X509Certificate leaf) {
    if (budgetExhausted) {
      return v.refuse(Check.MALFORMED,
          "Path building gave up after " + MAX_SIGNATURE_CHECKS + " signature checks: the presented "
              + "certificates form a tangle (loops or many look-alike issuers).",
          List.of(), "Configure the server to send only its leaf and intermediate certificates.");
    }
    if (depthExhausted) {
      return v.refuse(Check.BASIC_CONSTRAINTS,
          "The chain needs more than " + v.maxIntermediates + " intermediate certificates to reach a trust anchor"
              + " (the policy's maxIntermediates).",
          List.of(), "Use a shorter chain (real chains have one or two intermediates).");
    }
    X509Certificate top = deepest;
    String trustFix = "If you mean to trust that root, add it: TlsPolicy.builder().trustRoot(rootCertificate)"
        + " (see Pem.readCertificates), or for this host only: .trustRootFor(" + Texts.quote(v.host) + ", root)";
    if (anchorWithBadSignature != null) {
      return v.refuse(Check.TRUST_PATH,
          "The issuer named by " + Verification.name(top) + " matches the trusted root "
              + Verification.name(anchorWithBadSignature) + " by name, but its signature does not verify "
              + "with that root's key: it was issued by a different CA with the same name.",
          List.of(), trustFix);
    }
    boolean selfIssued = top.getIssuerX500Principal().equals(top.getSubjectX500Principal());
    List<String> expected = List.of(expectedAnchors());
    if (selfIssued && top == leaf) {
      return v.refuse(Check.TRUST_PATH,
          "The " + (v.role == Verification.Role.SERVER ? "server's" : "client's")
              + " certificate is self-signed and is not a configured trust anchor.",
          expected,
          "Have the certificate issued by a CA you trust. To trust this one certificate for this host, "
              + "add it: TlsPolicy.builder().trustRootFor(" + Texts.quote(v.host) + ", certificate)");
    }
    if (selfIssued) {
      return v.refuse(Check.TRUST_PATH,
          "The chain ends at the root " + Verification.name(top) + ", which is not a configured trust anchor.",
          expected, trustFix);
    }
    String issuer = "'" + Texts.sanitize(top.getIssuerX500Principal().getName(), 120) + "'";
    if (top == leaf) {
      return v.refuse(Check.MISSING_INTERMEDIATE,
          "The server did not send the certificate of the leaf's issuer " + issuer
              + ", and no trust anchor has that name: the server's intermediate certificate is missing.",
          List.of(),
          "Configure the server to send its full chain (leaf then intermediates). If " + issuer
              + " is itself a root you trust, add it with TlsPolicy.builder().trustRoot(...)");
    }
    return v.refuse(Check.TRUST_PATH,
        "The chain ends at " + Verification.name(top) + ", whose issuer " + issuer
            + " is not a configured trust anchor (an unknown or private root).",
        expected, trustFix);
  }

  /** What the path should have reached: the anchors by name when there are few, else how many. */
  private String expectedAnchors() {
    List<X509Certificate> all = v.anchors.all();
    if (all.isEmpty()) {
      return "Expected: a chain to a trust anchor, but none is configured for this host.";
    }
    if (all.size() == 1) {
      return "Expected: a chain to the trust anchor " + Verification.name(all.get(0))
          + ", the only one configured for this host.";
    }
    StringBuilder b = new StringBuilder("Expected: a chain to one of the ").append(all.size())
        .append(" trust anchors for this host");
    if (all.size() <= 3) {
      b.append(": ");
      for (int i = 0; i < all.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(Verification.name(all.get(i)));
      }
    }
    return b.append('.').toString();
  }
}
