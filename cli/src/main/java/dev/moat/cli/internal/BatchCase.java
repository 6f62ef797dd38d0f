package dev.moat.cli.internal;

import dev.moat.core.Revocation;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.internal.CertificateFacts;
import dev.moat.core.internal.HostNames;
import dev.moat.core.internal.HostnameMatcher;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Judges one case of the {@code moat verify --batch} format (see {@code verify-batch-format.md})
 * with core's strict pipeline.
 *
 * <p>What Moat cannot express is SKIPped rather than guessed:
 *
 * <ul>
 *   <li>RFC822 peer names (Moat matches DNS and IP subjectAltNames only);
 *   <li>a SERVER case without a peer name (Moat always checks a server's name);
 *   <li>{@code eku} other than empty or exactly the role's own (serverAuth for SERVER, clientAuth
 *       for CLIENT): Moat always requires that one and cannot require others;
 *   <li>a non-empty {@code key_usage} or {@code signature_algorithms}: Moat's own rules apply and
 *       cannot be swapped per case;
 *   <li>{@code crls}: revocation checking is not implemented yet;
 * </ul>
 *
 * <p>{@code max_chain_depth} becomes the policy's {@code maxIntermediates} (self-issued
 * intermediates not counted); above Moat's own bound of 8, that bound holds.
 *
 * <p>An empty {@code eku} is judged with the role's default (Moat as deployed requires serverAuth,
 * or clientAuth, always). A root that does not parse is not an anchor; a leaf or intermediate that
 * does not parse is a rejection ({@code MALFORMED}), as the handshake would be.
 */
final class BatchCase {
  /** A verdict line: ACCEPT, REJECT, SKIP or HANG, and a one-line reason. */
  record Verdict(String verdict, String reason) {
    static Verdict accept(String reason) {
      return new Verdict("ACCEPT", reason);
    }

    static Verdict reject(String check, String reason) {
      return new Verdict("REJECT", check + ": " + reason);
    }

    static Verdict skip(String reason) {
      return new Verdict("SKIP", reason);
    }
  }

  static final int MOAT_MAX_INTERMEDIATES = 8;

  private BatchCase() {}

  static Verdict judge(Map<String, @Nullable Object> c) {
    String kind = string(c, "validation_kind");
    if (!kind.equals("SERVER") && !kind.equals("CLIENT")) {
      return Verdict.skip("validation_kind " + Certs.sanitize(kind, 20) + " is not SERVER or CLIENT");
    }
    boolean server = kind.equals("SERVER");
    if (c.get("crls") != null) {
      return Verdict.skip("CRLs given: Moat does not check revocation yet");
    }
    List<String> eku = strings(c, "eku");
    String roleEku = server ? "serverAuth" : "clientAuth";
    if (!eku.isEmpty() && !(eku.size() == 1 && eku.get(0).equals(roleEku))) {
      return Verdict.skip("eku " + eku + ": Moat requires exactly " + roleEku + " for a "
          + kind.toLowerCase(java.util.Locale.ROOT) + " and cannot require other usages");
    }
    if (!strings(c, "key_usage").isEmpty()) {
      return Verdict.skip("key_usage given: Moat applies its own key usage rules");
    }
    if (!strings(c, "signature_algorithms").isEmpty()) {
      return Verdict.skip("signature_algorithms given: Moat applies its own algorithm rules");
    }
    @Nullable PeerName peer = null;
    List<PeerName> clientNames = new ArrayList<>();
    if (server) {
      Object pn = c.get("peer_name");
      if (pn == null) {
        return Verdict.skip("SERVER case without peer_name: Moat always checks a server's name");
      }
      peer = PeerName.of(pn);
      if (!peer.kind().equals("DNS") && !peer.kind().equals("IP")) {
        return Verdict.skip("peer_name kind " + Certs.sanitize(peer.kind(), 20)
            + ": Moat matches DNS and IP names only");
      }
    } else {
      Object list = c.get("peer_names");
      if (list != null) {
        if (!(list instanceof List)) {
          throw new IllegalArgumentException("peer_names is not a list");
        }
        for (Object o : (List<?>) list) {
          PeerName n = PeerName.of(o);
          if (!n.kind().equals("DNS") && !n.kind().equals("IP")) {
            return Verdict.skip("peer_names kind " + Certs.sanitize(n.kind(), 20)
                + ": Moat matches DNS and IP names only");
          }
          clientNames.add(n);
        }
      }
    }
    Instant at = instant(c);

    // Certificates.
    List<X509Certificate> roots = new ArrayList<>();
    for (Certs.Parsed p : parsedFile(string(c, "roots"))) {
      if (p.certificate() != null) {
        roots.add(p.certificate());
      }
    }
    List<Certs.Parsed> leafFile = parsedFile(string(c, "leaf"));
    if (leafFile.isEmpty() || leafFile.get(0).certificate() == null) {
      return Verdict.reject("MALFORMED", "the leaf does not parse"
          + (leafFile.isEmpty() ? " (no certificate in the file)" : ": " + leafFile.get(0).error()));
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leafFile.get(0).certificate());
    Object inter = c.get("intermediates");
    if (inter != null) {
      for (Certs.Parsed p : parsedFile(string(c, "intermediates"))) {
        if (p.certificate() == null) {
          return Verdict.reject("MALFORMED", "an intermediate does not parse: " + p.error());
        }
        chain.add(p.certificate());
      }
    }
    Object depth = c.get("max_chain_depth");
    int maxDepth = MOAT_MAX_INTERMEDIATES;
    if (depth != null) {
      if (!(depth instanceof BigDecimal)) {
        throw new IllegalArgumentException("max_chain_depth is not a number");
      }
      maxDepth = ((BigDecimal) depth).intValueExact();
      if (maxDepth < 0) {
        throw new IllegalArgumentException("max_chain_depth is negative");
      }
    }
    if (roots.isEmpty()) {
      return Verdict.reject("TRUST_PATH", "no certificate in the roots file parses, so there is no trust anchor");
    }

    List<String> accepted = new ArrayList<>(1);
    TlsPolicy policy = TlsPolicy.builder()
        .trustRoots(roots)
        .maxIntermediates(Math.min(maxDepth, MOAT_MAX_INTERMEDIATES)) // deeper than Moat's own bound: its bound holds
        .revocation(Revocation.off()) // offline: no OCSP or CRL fetching for hostile URLs
        .clock(Clock.fixed(at, ZoneOffset.UTC))
        .listener(e -> {
          if (e.kind() == TlsEvent.Kind.ACCEPTED) {
            accepted.add(e.message());
          }
        })
        .build();
    try {
      if (server) {
        policy.verifyServer(chain, peer.value(), -1, "verify");
        return Verdict.accept(acceptedReason(accepted));
      }
      policy.verifyClient(chain, "client");
      X509Certificate leaf = chain.get(0);
      CertificateFacts facts = CertificateFacts.of(leaf);
      for (PeerName n : clientNames) {
        if (facts.sanError() != null) {
          return Verdict.reject("MALFORMED", "the leaf's subjectAltName does not parse: " + facts.sanError());
        }
        String normalized;
        try {
          normalized = HostNames.normalize(n.value());
        } catch (IllegalArgumentException e) {
          return Verdict.reject("HOSTNAME", "peer name " + Certs.sanitize(n.value(), 80) + " is not valid: "
              + e.getMessage());
        }
        if ((n.kind().equals("IP") != HostNames.isIpLiteral(normalized))
            || !HostnameMatcher.matches(normalized, facts.dnsNames(), facts.ipAddresses())) {
          return Verdict.reject("HOSTNAME", "the client certificate is not valid for "
              + Certs.sanitize(n.value(), 80) + "; it names " + facts.namesForHumans(5));
        }
      }
      return Verdict.accept(acceptedReason(accepted));
    } catch (TlsRefusalException e) {
      return Verdict.reject(e.check().name(), e.reason());
    }
  }

  private static String acceptedReason(List<String> accepted) {
    if (accepted.isEmpty()) {
      return "accepted";
    }
    String m = accepted.get(0);
    if (m.startsWith("accepted: path ")) {
      return "path: " + m.substring("accepted: path ".length());
    }
    if (m.startsWith("accepted client ")) {
      return "client: " + m.substring("accepted client ".length());
    }
    return m;
  }

  private static List<Certs.Parsed> parsedFile(String file) {
    if (file.isEmpty()) {
      return List.of(); // no file: no certificates (an empty roots file makes no anchor)
    }
    try {
      return Certs.certificates(Certs.read(Path.of(file)));
    } catch (IOException | RuntimeException e) {
      throw new CaseFileException(Certs.sanitize(file, 200) + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** A case names a file that cannot be read: the case is unusable, not a certificate verdict. */
  static final class CaseFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CaseFileException(String message) {
      super(message);
    }
  }

  private static Instant instant(Map<String, @Nullable Object> c) {
    Object t = c.get("time");
    if (t == null) {
      if (Boolean.TRUE.equals(c.get("time_given"))) {
        throw new IllegalArgumentException("time_given is true but time is null");
      }
      return Instant.now();
    }
    if (!(t instanceof BigDecimal)) {
      throw new IllegalArgumentException("time is not a number");
    }
    return Instant.ofEpochSecond(((BigDecimal) t).longValueExact());
  }

  record PeerName(String kind, String value) {
    static PeerName of(@Nullable Object o) {
      if (!(o instanceof Map)) {
        throw new IllegalArgumentException("a peer name is not an object {\"kind\":...,\"value\":...}");
      }
      Map<?, ?> m = (Map<?, ?>) o;
      if (!(m.get("kind") instanceof String) || !(m.get("value") instanceof String)) {
        throw new IllegalArgumentException("a peer name lacks string kind and value");
      }
      return new PeerName((String) m.get("kind"), (String) m.get("value"));
    }
  }

  static String string(Map<String, @Nullable Object> c, String field) {
    Object v = c.get(field);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException("field " + field + " is " + (v == null ? "missing" : "not a string"));
    }
    return (String) v;
  }

  static List<String> strings(Map<String, @Nullable Object> c, String field) {
    Object v = c.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new IllegalArgumentException("field " + field + " is not a list");
    }
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      if (!(o instanceof String)) {
        throw new IllegalArgumentException("field " + field + " holds a non-string");
      }
      out.add((String) o);
    }
    return out;
  }
}
