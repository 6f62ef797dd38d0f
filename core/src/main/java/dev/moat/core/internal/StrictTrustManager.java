package dev.moat.core.internal;

import dev.moat.core.Check;
import dev.moat.core.Pin;
import dev.moat.core.PinSet;
import dev.moat.core.ProfileRule;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The strict trust manager: one pipeline for every handshake. Path to an anchor, certificate rules
 * on every certificate of the path, host name, profile rules, revocation, pins, then the verdict to
 * listeners.
 *
 * <p>The policy is read through a supplier on every handshake, so a holder can swap policies
 * atomically while clients keep this object.
 */
public final class StrictTrustManager extends X509ExtendedTrustManager {
  private static final long DAY_MILLIS = 86_400_000L;
  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  private static final Set<String> SERVER_EKUS = Set.of(PathChecks.SERVER_AUTH);
  private static final Set<String> CLIENT_EKUS = Set.of(PathChecks.CLIENT_AUTH);

  private final Supplier<TlsPolicy> policy;
  private final String protocol;
  private final @Nullable RevocationCheck revocation;
  /** Last day (epoch days) a PIN_SET_EXPIRING event was sent per pin set, to send one a day. */
  private final Map<PinSet, Long> expiryWarned = new ConcurrentHashMap<>();

  /** A trust manager whose revocation step is the policy's own checker (and its shared cache). */
  public StrictTrustManager(Supplier<TlsPolicy> policy, String protocol) {
    this(policy, protocol, null);
  }

  /** A trust manager with another revocation step, or the policy's when {@code revocation} is null. */
  public StrictTrustManager(Supplier<TlsPolicy> policy, String protocol, @Nullable RevocationCheck revocation) {
    this.policy = policy;
    this.protocol = protocol;
    this.revocation = revocation;
  }

  // ------------------------------------------------------------------ server side (we are the client)

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
      throws CertificateException {
    String host = null;
    int port = -1;
    SSLSession session = null;
    if (socket instanceof SSLSocket) {
      SSLSocket ssl = (SSLSocket) socket;
      session = ssl.getHandshakeSession();
      host = peerHost(session, ssl.getSSLParameters().getServerNames());
      port = session != null ? session.getPeerPort() : socket.getPort();
    }
    verifyServer(list(chain), host, port, session);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
      throws CertificateException {
    String host = null;
    int port = -1;
    SSLSession session = null;
    if (engine != null) {
      session = engine.getHandshakeSession();
      host = engine.getPeerHost() != null ? engine.getPeerHost()
          : peerHost(session, engine.getSSLParameters().getServerNames());
      port = engine.getPeerPort();
    }
    verifyServer(list(chain), host, port, session);
  }

  /**
   * Refused: without the socket or engine there is no host name to check. JSSE never calls this for
   * an {@link X509ExtendedTrustManager}; code that calls it directly must use {@link
   * TlsPolicy#verifyServer}.
   */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verifyServer(list(chain), null, -1, null);
  }

  private static @Nullable String peerHost(@Nullable SSLSession session, @Nullable List<SNIServerName> sni) {
    if (session != null && session.getPeerHost() != null) {
      return session.getPeerHost();
    }
    if (sni != null) {
      for (SNIServerName name : sni) {
        if (name instanceof SNIHostName) {
          return ((SNIHostName) name).getAsciiName();
        }
      }
    }
    return null;
  }

  /** The whole server pipeline. */
  public void verifyServer(
      List<X509Certificate> chain, @Nullable String host, int port, @Nullable SSLSession session)
      throws TlsRefusalException {
    TlsPolicy p = policy.get();
    Instant now = p.clock().instant();
    if (host == null || host.isEmpty()) {
      Verification v = verification(p, "?", null, port, chain, now, Verification.Role.SERVER, List.of());
      throw v.refuse(Check.HOSTNAME,
          "No host name is known for this connection, so the certificate cannot be matched to it.",
          List.of(), "Create the socket or engine with the peer's host name (for example "
              + "SSLSocketFactory.createSocket(host, port) or SSLContext.createSSLEngine(host, port)).");
    }
    String normalized;
    try {
      normalized = HostNames.normalize(host);
      if (normalized.indexOf('*') >= 0) {
        // normalize() accepts '*' for host patterns; a host the client dials never has one.
        throw new IllegalArgumentException("'" + Texts.sanitize(host, 100) + "' is a pattern, not a host name");
      }
    } catch (IllegalArgumentException e) {
      Verification v = verification(p, Texts.sanitize(host, 100), null, port, chain, now, Verification.Role.SERVER, List.of());
      throw v.refuse(Check.HOSTNAME, "The host name is not valid: " + e.getMessage(), List.of(), null, e);
    }
    List<TlsPolicy.HostRule> rules = p.hostRules().isEmpty() ? List.of() : p.rulesFor(normalized);
    Verification v = verification(p, host, normalized, port, chain, now, Verification.Role.SERVER, rules);
    negotiated(v, p, session);
    ValidatedPath path = PathBuilder.build(v);
    PathVerdicts verdicts = v.anchors.verdicts();
    PathVerdicts.Key key = PathVerdicts.key(v, path);
    if (verdicts.accepted(key)) {
      // This very path passed every time- and host-independent check before: only validity remains.
      PathChecks.validity(v, path);
      hostname(v, path);
    } else {
      PathChecks.check(v, path);
      hostname(v, path);
      ProfileChecks.check(v, path);
      verdicts.remember(key);
    }
    // Pins first: a chain about to be refused must not cause revocation requests.
    pins(v, path, rules);
    revocation(p).check(v, path, session);
    if (!p.listeners().isEmpty()) {
      v.accepted("accepted: path " + Texts.subject(path.leaf().getSubjectX500Principal()) + " -> "
          + Texts.subject(path.anchor().getSubjectX500Principal()));
    }
  }

  private Verification verification(TlsPolicy p, String host, @Nullable String normalized, int port,
      List<X509Certificate> chain, Instant now, Verification.Role role, List<TlsPolicy.HostRule> rules) {
    Anchors anchors = p.anchors();
    Set<ProfileRule> relaxed = rules.isEmpty() ? Set.of() : EnumSet.noneOf(ProfileRule.class);
    for (TlsPolicy.HostRule rule : rules) {
      anchors = anchors.plus(rule.roots());
      relaxed.addAll(rule.relaxedRules());
    }
    Set<String> ekus = role == Verification.Role.SERVER ? SERVER_EKUS : CLIENT_EKUS;
    return new Verification(host, normalized, port, protocol, chain, now, role, anchors, relaxed, ekus,
        p.maxIntermediates(), p::publish);
  }

  /**
   * Refuses a negotiated version or suite the policy does not allow. Clients that build their own
   * sockets from {@link TlsPolicy#sslContext} without its parameters (some drivers do) would
   * otherwise speak whatever the JVM's defaults allow; this runs before any application data.
   */
  static void negotiated(Verification v, TlsPolicy p, @Nullable SSLSession session) throws TlsRefusalException {
    if (session == null) {
      return;
    }
    String protocol = session.getProtocol();
    if (protocol != null && !protocol.equals("NONE") && !p.protocols().contains(protocol)) {
      throw v.refuse(Check.PROTOCOL,
          "The connection negotiated " + protocol + ", which the policy does not allow (allowed: "
              + String.join(", ", p.protocols()) + ").",
          List.of(), "Enable TLS 1.2 or 1.3 on the server; configure the client with the policy's "
              + "SSLParameters (policy.sslParameters()) or socket factory.");
    }
    String suite = session.getCipherSuite();
    if (suite != null && !suite.startsWith("SSL_NULL") && !p.cipherSuites().contains(suite)) {
      throw v.refuse(Check.CIPHER_SUITE,
          "The connection negotiated the cipher suite " + suite + ", which the policy does not allow "
              + "(only AEAD, forward-secret suites are).",
          List.of(), "Enable ECDHE with AES-GCM or ChaCha20-Poly1305 on the server; configure the client "
              + "with the policy's SSLParameters (policy.sslParameters()) or socket factory.");
    }
  }

  private RevocationCheck revocation(TlsPolicy p) {
    return revocation != null ? revocation : p.revocationChecker();
  }

  static void hostname(Verification v, ValidatedPath path) throws TlsRefusalException {
    X509Certificate leaf = path.leaf();
    CertificateFacts facts = CertificateFacts.of(leaf);
    if (facts.sanError() != null) {
      throw v.refuse(Check.MALFORMED,
          "The subjectAltName extension of " + Verification.name(leaf) + " does not parse: " + facts.sanError(),
          List.of(), "Have the certificate reissued.");
    }
    String host = v.normalizedHost();
    if (host != null && HostnameMatcher.matches(host, facts.dnsNames(), facts.ipAddresses())) {
      return;
    }
    List<String> details = new ArrayList<>();
    details.add("The certificate names: " + facts.namesForHumans(10));
    if (facts.sanCount() == 0) {
      details.add("It has no subjectAltName extension; its subject CN is never used for name checks "
          + "(RFC 9525), as in every current browser.");
    }
    throw v.refuse(Check.HOSTNAME,
        "The certificate is not valid for " + (HostNames.isIpLiteral(v.host()) ? "IP address " : "host ")
            + Texts.sanitize(v.host(), 100) + ".",
        details,
        "Connect to a name the certificate carries, or have the certificate reissued with "
            + Texts.sanitize(v.host(), 100) + " in its subjectAltName.");
  }

  private void pins(Verification v, ValidatedPath path, List<TlsPolicy.HostRule> rules) throws TlsRefusalException {
    if (rules.isEmpty()) {
      return;
    }
    Set<Pin> enforced = new LinkedHashSet<>();
    List<PinSet> reportOnly = new ArrayList<>();
    boolean anyEnforcedSet = false;
    for (TlsPolicy.HostRule rule : rules) {
      for (PinSet set : rule.pinSets()) {
        warnIfExpiring(v, rule.pattern(), set);
        if (set.isExpired(v.now())) {
          if (set.onExpiry() == PinSet.OnExpiry.FAIL_CLOSED && !set.isReportOnly()) {
            throw v.refuse(Check.PIN_SET_EXPIRED,
                "The pin set for " + rule.pattern() + " expired on " + set.expiry()
                    + " and is configured to fail closed, so no connection is accepted until it is renewed.",
                List.of("Configured: " + set, "Validation instant: " + WHEN.format(v.now())),
                "Renew the pin set with the current key's pin, a backup pin and a new expiry date:\n"
                    + "  TlsPolicy.builder().pin(" + Texts.quote(rule.pattern()) + ", PinSet.of("
                    + Texts.quote(Pin.of(path.leaf()).toString()) + ", <backup pin>).expiresAt(<new date>, "
                    + "PinSet.OnExpiry.FAIL_CLOSED))\n"
                    + "To stop enforcing pins when a set expires instead, use PinSet.OnExpiry.STOP_ENFORCING.");
          }
          v.report(Check.PIN_SET_EXPIRED, "pin set for " + rule.pattern() + " expired on " + set.expiry()
              + "; not enforced");
          continue;
        }
        if (set.isReportOnly()) {
          reportOnly.add(set);
        } else {
          anyEnforcedSet = true;
          enforced.addAll(set.pins());
        }
      }
    }
    List<X509Certificate> certs = path.withAnchor();
    if (anyEnforcedSet && !matchesAny(certs, enforced)) {
      String leafPin = Pin.of(path.leaf()).toString();
      throw v.refuse(Check.PIN,
          "No certificate in the peer chain matches a pin configured for " + Texts.sanitize(v.host(), 100) + ".",
          List.of("Expected one of: " + join(enforced)),
          "If the server key was rotated on purpose, add its pin:\n  TlsPolicy.builder().pin("
              + Texts.quote(v.host()) + ", " + Texts.quote(leafPin) + ", <backup pin>)");
    }
    for (PinSet set : reportOnly) {
      if (!matchesAny(certs, set.pins())) {
        v.report(Check.PIN, "REPORT-ONLY pin mismatch for " + v.host() + ": expected one of "
            + join(set.pins()) + ", path has " + join(pinsOf(certs)));
      }
    }
  }

  private void warnIfExpiring(Verification v, String pattern, PinSet set) {
    Instant expiry = set.expiry();
    if (expiry == null || v.now().plus(java.time.Duration.ofDays(30)).isBefore(expiry)) {
      return;
    }
    long day = v.now().toEpochMilli() / DAY_MILLIS;
    Long last = expiryWarned.put(set, day);
    if (last == null || last != day) {
      v.publish(new TlsEvent(TlsEvent.Kind.PIN_SET_EXPIRING, v.host(), -1, protocol, Check.PIN_SET_EXPIRED,
          List.of(), "pin set for " + pattern + " expires " + expiry + "; then " + set.onExpiry()));
    }
  }

  private static boolean matchesAny(List<X509Certificate> certs, Set<Pin> pins) {
    for (X509Certificate c : certs) {
      if (pins.contains(CertificateFacts.of(c).pin())) {
        return true;
      }
    }
    return false;
  }

  private static List<Pin> pinsOf(List<X509Certificate> certs) {
    List<Pin> out = new ArrayList<>();
    for (X509Certificate c : certs) {
      out.add(CertificateFacts.of(c).pin());
    }
    return out;
  }

  /**
   * The pins in order for a list (a path, leaf first), sorted for a set, so that a message is the
   * same on every run (pin sets keep no order).
   */
  private static String join(java.util.Collection<Pin> pins) {
    java.util.stream.Stream<String> s = pins.stream().map(Pin::toString);
    return (pins instanceof List ? s : s.sorted()).collect(java.util.stream.Collectors.joining(", "));
  }

  // ------------------------------------------------------------------ client side (we are the server)

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
      throws CertificateException {
    verifyClient(list(chain), socket != null ? socket.getInetAddress().getHostAddress() : "client",
        socket != null ? socket.getPort() : -1,
        socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
      throws CertificateException {
    verifyClient(list(chain), engine != null && engine.getPeerHost() != null ? engine.getPeerHost() : "client",
        engine != null ? engine.getPeerPort() : -1,
        engine != null ? engine.getHandshakeSession() : null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verifyClient(list(chain), "client", -1);
  }

  /** Path, certificate rules and clientAuth EKU for a client's chain; no host name check. */
  public void verifyClient(List<X509Certificate> chain, String peer, int port) throws TlsRefusalException {
    verifyClient(chain, peer, port, null);
  }

  /** {@link #verifyClient(List, String, int)} inside a handshake: also refuses a version or suite the policy forbids. */
  public void verifyClient(List<X509Certificate> chain, String peer, int port, @Nullable SSLSession session)
      throws TlsRefusalException {
    TlsPolicy p = policy.get();
    Verification v = verification(p, peer, null, port, chain, p.clock().instant(), Verification.Role.CLIENT, List.of());
    negotiated(v, p, session);
    ValidatedPath path = PathBuilder.build(v);
    PathVerdicts verdicts = v.anchors.verdicts();
    PathVerdicts.Key key = PathVerdicts.key(v, path);
    if (verdicts.accepted(key)) {
      PathChecks.validity(v, path);
    } else {
      PathChecks.check(v, path);
      ProfileChecks.check(v, path);
      verdicts.remember(key);
    }
    revocation(p).check(v, path, null);
    if (!p.listeners().isEmpty()) {
      v.accepted("accepted client " + Texts.subject(path.leaf().getSubjectX500Principal()));
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return policy.get().anchors().all().toArray(new X509Certificate[0]);
  }

  private static List<X509Certificate> list(X509Certificate @Nullable [] chain) {
    if (chain == null) {
      return List.of();
    }
    for (X509Certificate c : chain) {
      if (c == null) {
        return List.of();
      }
    }
    return Arrays.asList(chain.clone());
  }
}
