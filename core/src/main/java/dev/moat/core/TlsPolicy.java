package dev.moat.core;

import dev.moat.core.internal.Anchors;
import dev.moat.core.internal.HostNames;
import dev.moat.core.internal.HostPattern;
import dev.moat.core.internal.PolicySslContext;
import dev.moat.core.internal.StrictTrustManager;
import dev.moat.core.internal.Suites;
import dev.moat.core.internal.Texts;
import dev.moat.core.internal.revocation.RevocationChecker;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * What a trustworthy TLS peer is, decided once and shared by every client of a service. Immutable
 * and thread-safe; build it once at start-up.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .trustRoots(Pem.readCertificates(Path.of("internal-ca.pem")))
 *     .pin("payments.example.com", "sha256/k3Jd0cXq...=", "sha256/backupKeyPin...=")
 *     .build();
 * SSLContext context = policy.sslContext();
 * }</pre>
 *
 * <p>An empty builder is already strict: the platform's trust anchors, TLS 1.3 and 1.2 with AEAD,
 * forward-secret cipher suites only, host names checked against subjectAltName entries, the
 * certificate rules of {@link ProfileRule} and the key and signature minimums (RSA 2048, EC 256,
 * SHA-256), and no plaintext to any host.
 *
 * <p>Trust anchors: the platform's roots are used when no roots are given; as soon as roots are
 * given with {@code trustRoot(s)}, only those are trusted unless {@link Builder#trustSystemRoots()}
 * is also called.
 *
 * <p><b>Security</b>: {@link Builder#insecureAllowPlaintextTo(String, String)} and {@link
 * Builder#relax(String, ProfileRule...)} weaken protection for the hosts they name. Each is logged
 * once at WARNING when the policy is built and listed by {@link #toString()}.
 */
public final class TlsPolicy {
  private static final System.Logger LOG = System.getLogger("dev.moat");
  static final Duration PIN_EXPIRY_WARNING = Duration.ofDays(30);
  /** How long a client TLS session may be resumed without validating the peer again. */
  public static final Duration SESSION_LIFETIME = Duration.ofHours(1);

  private final boolean systemRoots;
  private final List<X509Certificate> roots;
  private final List<HostRule> hostRules;
  private final Map<String, String> plaintextHosts;
  private final TlsVersion minimumVersion;
  private final List<String> cipherSuites;
  private final @Nullable ClientIdentity clientIdentity;
  private final List<TlsListener> listeners;
  private final Clock clock;
  private final Revocation revocation;
  private final int maxIntermediates;

  // Derived, built lazily: the platform roots take tens of milliseconds to load.
  private volatile @Nullable Anchors anchors;
  private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();
  private volatile @Nullable RevocationChecker revocationChecker;

  private TlsPolicy(Builder b) {
    this.systemRoots = b.systemRoots || b.roots.isEmpty();
    this.roots = List.copyOf(b.roots);
    this.hostRules = List.copyOf(b.hostRules.values().stream().map(HostRule.Draft::freeze).toList());
    this.plaintextHosts = Collections.unmodifiableMap(new LinkedHashMap<>(b.plaintextHosts));
    this.minimumVersion = b.minimumVersion;
    this.cipherSuites = b.cipherSuites == null ? Suites.defaults(minimumVersion) : List.copyOf(b.cipherSuites);
    this.clientIdentity = b.clientIdentity;
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.revocation = b.revocation;
    this.maxIntermediates = b.maxIntermediates;
  }

  /** A builder whose empty form is the strict default policy. */
  public static Builder builder() {
    return new Builder();
  }

  /** The strict default policy: platform roots, no pins, no exemptions. */
  public static TlsPolicy strict() {
    return builder().build();
  }

  /** A builder holding this policy's settings, for variants. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.systemRoots = systemRoots && !roots.isEmpty();
    b.roots.addAll(roots);
    for (HostRule rule : hostRules) {
      b.hostRules.put(rule.pattern(), rule.thaw());
    }
    b.plaintextHosts.putAll(plaintextHosts);
    b.minimumVersion = minimumVersion;
    b.cipherSuites = new ArrayList<>(cipherSuites);
    b.clientIdentity = clientIdentity;
    b.listeners.addAll(listeners);
    b.clock = clock;
    b.revocation = revocation;
    b.maxIntermediates = maxIntermediates;
    return b;
  }

  // ---------------------------------------------------------------- JSSE objects

  /** An {@link SSLContext} whose trust manager is this policy's, for connections of kind {@code tls}. */
  public SSLContext sslContext() {
    return sslContext("tls");
  }

  /**
   * An {@link SSLContext} for one application protocol; the name ({@code https}, {@code redis},
   * ...) appears in refusal messages. Cached: the same protocol name gives the same context.
   *
   * <p>Sockets from its socket factory and engines from {@code createSSLEngine} start out with
   * {@link #sslParameters()}, so libraries that take only an {@code SSLContext} speak the policy's
   * versions and suites; the context cannot be initialised again.
   *
   * <p>A resumed TLS session is not validated again (that is what resumption saves); client
   * sessions of these contexts may be resumed for at most {@link #SESSION_LIFETIME}, not the JDK's
   * default of 24 hours.
   */
  public SSLContext sslContext(String protocol) {
    Objects.requireNonNull(protocol, "protocol");
    return contexts.computeIfAbsent(protocol, this::newSslContext);
  }

  private SSLContext newSslContext(String protocol) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] keyManagers = keyManager().map(km -> new KeyManager[] {km}).orElse(null);
      context.init(keyManagers, new TrustManager[] {trustManager(protocol)}, null);
      // A resumed session skips the trust manager: keep resumption, but not for the JDK's default
      // 24 hours, so revocation and pin changes take effect within the hour.
      context.getClientSessionContext().setSessionTimeout((int) SESSION_LIFETIME.toSeconds());
      return new PolicySslContext(context, this);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * A socket factory whose sockets use this policy's context and parameters (protocols, cipher
   * suites, endpoint identification). Hand it to clients that take an {@link SSLSocketFactory}.
   */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory("tls");
  }

  /** {@link #sslSocketFactory()} for one application protocol (named in refusal messages). */
  public SSLSocketFactory sslSocketFactory(String protocol) {
    return sslContext(protocol).getSocketFactory();
  }

  /**
   * Parameters to apply to an {@link javax.net.ssl.SSLSocket} or {@link javax.net.ssl.SSLEngine}:
   * the policy's protocols and cipher suites, and {@code HTTPS} endpoint identification. A fresh
   * copy each call.
   */
  public SSLParameters sslParameters() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(protocols().toArray(String[]::new));
    p.setCipherSuites(cipherSuites.toArray(String[]::new));
    p.setEndpointIdentificationAlgorithm("HTTPS");
    p.setUseCipherSuitesOrder(true);
    return p;
  }

  /** The strict trust manager for connections of kind {@code tls}. */
  public X509ExtendedTrustManager trustManager() {
    return trustManager("tls");
  }

  /** The strict trust manager, naming {@code protocol} in its refusals. */
  public X509ExtendedTrustManager trustManager(String protocol) {
    Objects.requireNonNull(protocol, "protocol");
    return new StrictTrustManager(() -> this, protocol);
  }

  /** A key manager for the policy's client identity, if it has one. */
  public Optional<X509ExtendedKeyManager> keyManager() {
    if (clientIdentity == null) {
      return Optional.empty();
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "client", clientIdentity.privateKey(), password,
          clientIdentity.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      for (KeyManager km : factory.getKeyManagers()) {
        if (km instanceof X509ExtendedKeyManager) {
          return Optional.of((X509ExtendedKeyManager) km);
        }
      }
      throw new IllegalStateException("the JVM's key manager factory returned no X509ExtendedKeyManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot create a key manager: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- direct checks

  /**
   * Runs the whole strict pipeline on a server's chain without a handshake, at the policy clock's
   * instant: the same decision the trust manager would make.
   *
   * @param chain the chain as the server would present it, leaf first
   * @param host the name the client connects to (host name or IP literal)
   * @param port the port, for messages (-1 if none)
   * @param protocol the application protocol, for messages
   * @throws TlsRefusalException when the policy refuses the chain
   */
  public void verifyServer(List<X509Certificate> chain, String host, int port, String protocol)
      throws TlsRefusalException {
    new StrictTrustManager(() -> this, protocol).verifyServer(chain, host, port, null);
  }

  /**
   * Runs the client-certificate pipeline (path, certificate rules, clientAuth EKU; no host name) on
   * a client's chain at the policy clock's instant, as a server using this policy would.
   *
   * @param chain the client's chain, leaf first
   * @param peer who the client is, for messages (an address or name)
   * @throws TlsRefusalException when the policy refuses the chain
   */
  public void verifyClient(List<X509Certificate> chain, String peer) throws TlsRefusalException {
    new StrictTrustManager(() -> this, "tls").verifyClient(chain, peer, -1);
  }

  /**
   * Refuses a plaintext connection unless this policy names {@code host} in {@link
   * Builder#insecureAllowPlaintextTo(String, String)}.
   *
   * @param protocol the application protocol ({@code http}, {@code redis}, ...)
   * @param endpoint what to show the user, with credentials already removed (a URL, {@code
   *     host:port})
   * @param host the host that would receive plaintext
   * @throws PlaintextRefusedException when the host has no plaintext exemption
   */
  public void requireTls(String protocol, String endpoint, String host) {
    if (allowsPlaintextTo(host)) {
      return;
    }
    throw new PlaintextRefusedException(
        host,
        protocol,
        "Refused plaintext " + protocol + " connection to " + Texts.sanitize(endpoint, 200)
            + " [check: PLAINTEXT]\n  Nothing was sent: the policy allows only TLS.\n"
            + "  Use the TLS form of the endpoint (https://, rediss://, ssl://, amqps://, encrypt=true)."
            + "\n  If this host really cannot speak TLS (a local development server), exempt it by name:\n"
            + "    TlsPolicy.builder().insecureAllowPlaintextTo(" + Texts.quote(host)
            + ", \"why this is acceptable\")");
  }

  /** Whether {@code host} has an explicit plaintext exemption. */
  public boolean allowsPlaintextTo(String host) {
    Objects.requireNonNull(host, "host");
    if (plaintextHosts.isEmpty()) {
      return false;
    }
    try {
      return plaintextHosts.containsKey(HostNames.normalize(host));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- settings

  /** Whether the platform's trust anchors are trusted. */
  public boolean trustsSystemRoots() {
    return systemRoots;
  }

  /** The trust anchors given explicitly (not the platform's). */
  public List<X509Certificate> roots() {
    return roots;
  }

  /** The lowest TLS version this policy speaks. */
  public TlsVersion minimumVersion() {
    return minimumVersion;
  }

  /** The JSSE protocol names enabled, newest first. */
  public List<String> protocols() {
    return minimumVersion == TlsVersion.TLS_1_3 ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
  }

  /** The JSSE cipher suite names enabled, in preference order. */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  /** The client identity for mutual TLS, if any. */
  public Optional<ClientIdentity> clientIdentity() {
    return Optional.ofNullable(clientIdentity);
  }

  /** The hosts exempted from TLS, with the reason given for each. */
  public Map<String, String> plaintextExemptions() {
    return plaintextHosts;
  }

  /** The per-host rules, in the order they were first configured. */
  public List<HostRule> hostRules() {
    return hostRules;
  }

  /** The rules whose pattern matches {@code host}. */
  public List<HostRule> rulesFor(String host) {
    String normalized = HostNames.normalize(host);
    List<HostRule> out = new ArrayList<>(2);
    for (HostRule rule : hostRules) {
      if (rule.hostPattern().matches(normalized)) {
        out.add(rule);
      }
    }
    return out;
  }

  public Clock clock() {
    return clock;
  }

  /** The most intermediate certificates (self-issued ones not counted) a path may have. */
  public int maxIntermediates() {
    return maxIntermediates;
  }

  /** The global revocation settings (per-host rules may override them). */
  public Revocation revocation() {
    return revocation;
  }

  /** The revocation settings for one host: the first matching host rule's, else the global ones. */
  public Revocation revocationFor(String host) {
    for (HostRule rule : rulesFor(host)) {
      if (rule.revocation() != null) {
        return rule.revocation();
      }
    }
    return revocation;
  }

  /** The revocation checker shared by every connection of this policy (its cache lives here). Internal use. */
  public RevocationChecker revocationChecker() {
    RevocationChecker c = revocationChecker;
    if (c == null) {
      synchronized (this) {
        c = revocationChecker;
        if (c == null) {
          int entries = revocation.maxCacheEntries();
          for (HostRule rule : hostRules) {
            if (rule.revocation() != null) {
              entries = Math.max(entries, rule.revocation().maxCacheEntries());
            }
          }
          c = new RevocationChecker(this::revocationFor, entries);
          revocationChecker = c;
        }
      }
    }
    return c;
  }

  public List<TlsListener> listeners() {
    return listeners;
  }

  /** Anchors (platform and explicit) indexed for path building. Internal use. */
  public Anchors anchors() {
    Anchors a = anchors;
    if (a == null) {
      synchronized (this) {
        a = anchors;
        if (a == null) {
          a = Anchors.of(systemRoots, roots);
          anchors = a;
        }
      }
    }
    return a;
  }

  /** Delivers an event to every listener; a listener that throws is logged and skipped. */
  public void publish(TlsEvent event) {
    for (TlsListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "TLS listener " + l + " threw; ignored", e);
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TlsPolicy{");
    b.append("anchors=").append(systemRoots ? "platform" : "");
    if (!roots.isEmpty()) {
      b.append(systemRoots ? "+" : "").append(roots.size()).append(" explicit");
    }
    b.append(", minimumVersion=").append(minimumVersion.jsseName());
    b.append(", cipherSuites=").append(cipherSuites.size());
    if (!hostRules.isEmpty()) {
      b.append(", hostRules=").append(hostRules);
    }
    if (!plaintextHosts.isEmpty()) {
      b.append(", INSECURE plaintext to ").append(plaintextHosts.keySet());
    }
    if (clientIdentity != null) {
      b.append(", clientIdentity=").append(clientIdentity);
    }
    b.append(", revocation=").append(revocation);
    if (maxIntermediates != Builder.MAX_INTERMEDIATES) {
      b.append(", maxIntermediates=").append(maxIntermediates);
    }
    return b.append('}').toString();
  }

  /** Builds a {@link TlsPolicy}. Setters check their argument; {@link #build()} checks combinations. */
  public static final class Builder {
    private boolean systemRoots;
    private final List<X509Certificate> roots = new ArrayList<>();
    private final Map<String, HostRule.Draft> hostRules = new LinkedHashMap<>();
    private final Map<String, String> plaintextHosts = new LinkedHashMap<>();
    private TlsVersion minimumVersion = TlsVersion.TLS_1_2;
    private @Nullable List<String> cipherSuites;
    private @Nullable ClientIdentity clientIdentity;
    private final List<TlsListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Revocation revocation = Revocation.softFail();
    static final int MAX_INTERMEDIATES = 8;
    private int maxIntermediates = MAX_INTERMEDIATES;

    private Builder() {}

    /** Trusts the platform's roots in addition to any given with {@code trustRoot(s)}. */
    public Builder trustSystemRoots() {
      this.systemRoots = true;
      return this;
    }

    /** Trusts one root certificate (then the platform's roots only with {@link #trustSystemRoots()}). */
    public Builder trustRoot(X509Certificate root) {
      roots.add(Objects.requireNonNull(root, "root"));
      return this;
    }

    /** Trusts these root certificates; see {@link Pem#readCertificates} to read a PEM file. */
    public Builder trustRoots(Collection<X509Certificate> roots) {
      Objects.requireNonNull(roots, "roots");
      if (roots.isEmpty()) {
        throw new IllegalArgumentException("trustRoots: the collection is empty; give at least one root");
      }
      for (X509Certificate r : roots) {
        this.roots.add(Objects.requireNonNull(r, "root"));
      }
      return this;
    }

    /** Trusts every certificate entry of a {@link KeyStore} (a JKS or PKCS#12 trust store). */
    public Builder trustRootsFrom(KeyStore trustStore) {
      Objects.requireNonNull(trustStore, "trustStore");
      List<X509Certificate> found = new ArrayList<>();
      try {
        for (String alias : Collections.list(trustStore.aliases())) {
          if (trustStore.isCertificateEntry(alias)
              && trustStore.getCertificate(alias) instanceof X509Certificate) {
            found.add((X509Certificate) trustStore.getCertificate(alias));
          }
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot read the trust store: " + e.getMessage(), e);
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException("the trust store has no certificate entries");
      }
      return trustRoots(found);
    }

    /**
     * Trusts {@code root} only for hosts matching {@code hostPattern}, on top of the global anchors.
     */
    public Builder trustRootFor(String hostPattern, X509Certificate root) {
      rule(hostPattern).roots.add(Objects.requireNonNull(root, "root"));
      return this;
    }

    /** The lowest TLS version to speak: TLS 1.2 (default) or TLS 1.3. */
    public Builder minimumVersion(TlsVersion version) {
      this.minimumVersion = Objects.requireNonNull(version, "minimumVersion");
      return this;
    }

    /**
     * Restricts the cipher suites (JSSE names, in preference order). Only AEAD, forward-secret
     * suites are allowed; anything else is refused here.
     */
    public Builder cipherSuites(List<String> suites) {
      Objects.requireNonNull(suites, "cipherSuites");
      this.cipherSuites = Suites.checkAllowed(suites);
      return this;
    }

    /**
     * Pins hosts matching {@code hostPattern} ({@code host}, {@code *.example.com}, {@code
     * **.example.com}) to these SPKI pins: a path must contain a certificate with one of them.
     * Give at least two pins (the current key and a backup).
     */
    public Builder pin(String hostPattern, String... pins) {
      return pin(hostPattern, PinSet.of(pins));
    }

    /** Pins hosts matching {@code hostPattern} to a {@link PinSet}. */
    public Builder pin(String hostPattern, PinSet pins) {
      Objects.requireNonNull(pins, "pins");
      rule(hostPattern).pinSets.add(pins);
      return this;
    }

    /**
     * Pins hosts to a single key with no backup. <b>Risky</b>: when that key is lost or rotated,
     * every client refuses the host until it is redeployed. Prefer {@link #pin(String, String...)}
     * with a backup pin.
     */
    public Builder riskyPinWithoutBackup(String hostPattern, String pin) {
      HostRule.Draft rule = rule(hostPattern);
      rule.pinSets.add(PinSet.of(pin));
      rule.singlePinAccepted = true;
      return this;
    }

    /**
     * Lets {@code host} (one exact host name or IP, no wildcards) be reached without TLS.
     * <b>Insecure</b>: anyone on the path reads and changes that traffic. Logged at WARNING.
     *
     * @param reason why this is acceptable, shown in the log and in {@link TlsPolicy#toString()}
     */
    public Builder insecureAllowPlaintextTo(String host, String reason) {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(reason, "reason");
      if (host.indexOf('*') >= 0) {
        throw new IllegalArgumentException(
            "insecureAllowPlaintextTo: '" + Texts.sanitize(host, 100)
                + "' has a wildcard; name each host exactly");
      }
      if (reason.isBlank()) {
        throw new IllegalArgumentException("insecureAllowPlaintextTo(" + host + "): give a reason");
      }
      plaintextHosts.put(HostNames.normalize(host), reason.strip());
      return this;
    }

    /**
     * Relaxes certificate-profile rules for hosts matching {@code hostPattern}, for a private PKI
     * that cannot meet them. Logged at WARNING.
     */
    public Builder relax(String hostPattern, ProfileRule... rules) {
      Objects.requireNonNull(rules, "rules");
      if (rules.length == 0) {
        throw new IllegalArgumentException("relax(" + hostPattern + "): name at least one ProfileRule");
      }
      HostRule.Draft rule = rule(hostPattern);
      for (ProfileRule r : rules) {
        rule.relaxed.add(Objects.requireNonNull(r, "rule"));
      }
      return this;
    }

    /** The key and chain to present when a server asks for a client certificate. */
    public Builder clientIdentity(ClientIdentity identity) {
      this.clientIdentity = Objects.requireNonNull(identity, "clientIdentity");
      return this;
    }

    /** Adds a listener for verdicts and warnings. */
    public Builder listener(TlsListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The clock giving the validation instant (tests; defaults to the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How revocation is checked for every host without a rule of its own (default {@link Revocation#softFail()}). */
    public Builder revocation(Revocation revocation) {
      this.revocation = Objects.requireNonNull(revocation, "revocation");
      return this;
    }

    /** How revocation is checked for hosts matching {@code hostPattern}. */
    public Builder revocation(String hostPattern, Revocation revocation) {
      rule(hostPattern).revocation = Objects.requireNonNull(revocation, "revocation");
      return this;
    }

    /**
     * The most intermediate certificates a path may have (self-issued ones not counted), from 0
     * (only certificates issued directly by an anchor) to 8, the default.
     */
    public Builder maxIntermediates(int max) {
      if (max < 0 || max > MAX_INTERMEDIATES) {
        throw new IllegalArgumentException(
            "maxIntermediates " + max + " is out of range; use 0 to " + MAX_INTERMEDIATES);
      }
      this.maxIntermediates = max;
      return this;
    }

    private HostRule.Draft rule(String hostPattern) {
      HostPattern pattern = HostPattern.parse(hostPattern);
      return hostRules.computeIfAbsent(pattern.toString(), k -> new HostRule.Draft(pattern));
    }

    /**
     * Checks the combination and builds the policy.
     *
     * @throws IllegalStateException naming the setting and the fix when settings contradict
     */
    public TlsPolicy build() {
      for (HostRule.Draft rule : hostRules.values()) {
        // Only enforced pins protect against lock-out: report-only pins do not count as a backup.
        Set<Pin> enforced = new LinkedHashSet<>();
        rule.pinSets.stream().filter(set -> !set.isReportOnly()).forEach(set -> enforced.addAll(set.pins()));
        boolean anyEnforced = rule.pinSets.stream().anyMatch(set -> !set.isReportOnly());
        if (anyEnforced && enforced.size() < 2 && !rule.singlePinAccepted) {
          throw new IllegalStateException(
              "pin for " + rule.pattern + " has a single pin and no backup: losing that key would lock "
                  + "every client out. Add a backup pin (the pin of a spare key or of your CA), or call "
                  + "riskyPinWithoutBackup(\"" + rule.pattern + "\", pin) to accept the risk");
        }
      }
      if (cipherSuites != null && minimumVersion == TlsVersion.TLS_1_3
          && cipherSuites.stream().noneMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_"))) {
        throw new IllegalStateException(
            "minimumVersion TLS_1_3 with cipherSuites that has no TLS 1.3 suite: no handshake could "
                + "succeed; add TLS_AES_128_GCM_SHA256 or TLS_AES_256_GCM_SHA384");
      }
      TlsPolicy policy = new TlsPolicy(this);
      Instant now = clock.instant();
      for (Map.Entry<String, String> e : plaintextHosts.entrySet()) {
        LOG.log(System.Logger.Level.WARNING,
            "INSECURE: plaintext allowed to " + e.getKey() + " (" + e.getValue() + ")");
      }
      for (HostRule rule : policy.hostRules) {
        if (!rule.relaxedRules().isEmpty()) {
          LOG.log(System.Logger.Level.WARNING,
              "Certificate profile relaxed for " + rule.pattern() + ": " + rule.relaxedRules());
        }
        for (PinSet set : rule.pinSets()) {
          if (set.expiry() != null && now.plus(PIN_EXPIRY_WARNING).isAfter(set.expiry())) {
            String msg = "pin set for " + rule.pattern() + " expires " + set.expiry()
                + (set.isExpired(now) ? " (already expired)" : "") + "; then " + set.onExpiry();
            LOG.log(System.Logger.Level.WARNING, msg);
            policy.publish(new TlsEvent(TlsEvent.Kind.PIN_SET_EXPIRING, rule.pattern(), -1, "policy",
                Check.PIN_SET_EXPIRED, List.of(), msg));
          }
          if (set.isReportOnly()) {
            LOG.log(System.Logger.Level.WARNING, "pins for " + rule.pattern() + " are REPORT-ONLY");
          }
        }
      }
      return policy;
    }
  }

  /** A per-host rule: pins, extra anchors and relaxed profile rules for hosts matching a pattern. */
  public static final class HostRule {
    private final HostPattern pattern;
    private final List<PinSet> pinSets;
    private final List<X509Certificate> roots;
    private final Set<ProfileRule> relaxed;
    private final boolean singlePinAccepted;
    private final @Nullable Revocation revocation;

    private HostRule(Draft d) {
      this.pattern = d.pattern;
      this.pinSets = List.copyOf(d.pinSets);
      this.roots = List.copyOf(d.roots);
      this.relaxed = d.relaxed.isEmpty()
          ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(d.relaxed));
      this.singlePinAccepted = d.singlePinAccepted;
      this.revocation = d.revocation;
    }

    public String pattern() {
      return pattern.toString();
    }

    HostPattern hostPattern() {
      return pattern;
    }

    public List<PinSet> pinSets() {
      return pinSets;
    }

    public List<X509Certificate> roots() {
      return roots;
    }

    public Set<ProfileRule> relaxedRules() {
      return relaxed;
    }

    /** This rule's revocation settings, or null to use the policy's. */
    public @Nullable Revocation revocation() {
      return revocation;
    }

    Draft thaw() {
      Draft d = new Draft(pattern);
      d.pinSets.addAll(pinSets);
      d.roots.addAll(roots);
      d.relaxed.addAll(relaxed);
      d.singlePinAccepted = singlePinAccepted;
      d.revocation = revocation;
      return d;
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(pattern.toString()).append('{');
      if (!pinSets.isEmpty()) {
        b.append("pins=").append(pinSets);
      }
      if (!roots.isEmpty()) {
        b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append("roots=").append(roots.size());
      }
      if (!relaxed.isEmpty()) {
        b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append("RELAXED=").append(relaxed);
      }
      if (revocation != null) {
        b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append(revocation);
      }
      return b.append('}').toString();
    }

    static final class Draft {
      final HostPattern pattern;
      final List<PinSet> pinSets = new ArrayList<>();
      final List<X509Certificate> roots = new ArrayList<>();
      final Set<ProfileRule> relaxed = EnumSet.noneOf(ProfileRule.class);
      boolean singlePinAccepted;
      @Nullable Revocation revocation;

      Draft(HostPattern pattern) {
        this.pattern = pattern;
      }

      HostRule freeze() {
        return new HostRule(this);
      }
    }
  }
}
