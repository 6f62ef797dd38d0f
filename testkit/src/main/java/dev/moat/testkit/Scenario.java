package dev.moat.testkit;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.internal.LegacyTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One case of the bad-TLS catalog: what the server presents and speaks, what a Moat client should
 * be configured with, and which {@link Check} should refuse it. Get them from {@link
 * BadTls#catalog()}; serve one with {@link TlsTestServer#start(Scenario)}, or configure a native
 * server from {@link #writeServerFiles(Path)}, {@link #opensslProtocols()} and {@link
 * #opensslCiphers()}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("dev.moat.testkit.BadTls#catalog")
 * void connect_scenario_refusedWithExpectedCheck(Scenario scenario) throws Exception {
 *   assumeFalse(scenario.unavailableReason().isPresent(), () -> scenario.unavailableReason().get());
 *   try (TlsTestServer server = TlsTestServer.start(scenario)) {
 *     TlsPolicy policy = scenario.policy();
 *     // ... connect, then assert refusal with scenario.expectedCheck() or success for GOOD
 *   }
 * }
 * }</pre>
 *
 * <p>Scenario objects are immutable; their certificates come from {@link TestPki#shared()},
 * generated on first use.
 */
public final class Scenario {
  private final String name;
  private final String description;
  private final @Nullable Function<TestPki, Credentials> credentials;
  private final List<String> serverProtocols;
  private final List<String> serverCipherSuites;
  private final List<String> opensslProtocols;
  private final String opensslCiphers;
  private final @Nullable Check expectedCheck;
  private final boolean pinMismatch;
  private final boolean legacyProtocol;
  private final boolean pendingRevocationSupport;
  private final boolean staplesOcsp;

  Scenario(
      String name,
      String description,
      @Nullable Function<TestPki, Credentials> credentials,
      List<String> serverProtocols,
      List<String> serverCipherSuites,
      List<String> opensslProtocols,
      String opensslCiphers,
      @Nullable Check expectedCheck,
      boolean pinMismatch,
      boolean legacyProtocol,
      boolean pendingRevocationSupport,
      boolean staplesOcsp) {
    this.name = name;
    this.description = description;
    this.credentials = credentials;
    this.serverProtocols = List.copyOf(serverProtocols);
    this.serverCipherSuites = List.copyOf(serverCipherSuites);
    this.opensslProtocols = List.copyOf(opensslProtocols);
    this.opensslCiphers = opensslCiphers;
    this.expectedCheck = expectedCheck;
    this.pinMismatch = pinMismatch;
    this.legacyProtocol = legacyProtocol;
    this.pendingRevocationSupport = pendingRevocationSupport;
    this.staplesOcsp = staplesOcsp;
  }

  /** The stable id, such as {@code EXPIRED}; use it in test names and reports. */
  public String name() {
    return name;
  }

  /** One sentence: what the server does wrong. */
  public String description() {
    return description;
  }

  /** The PKI the certificates come from: {@link TestPki#shared()}. */
  public TestPki pki() {
    return TestPki.shared();
  }

  /** The host name clients connect to: {@code localhost}. */
  public String host() {
    return TlsTestServer.HOST;
  }

  /** The root the client trusts: {@code pki().root()}. */
  public X509Certificate trustRoot() {
    return pki().root();
  }

  /** The key and chain the server presents; empty for {@code PLAINTEXT}. */
  public Optional<Credentials> credentials() {
    return credentials == null ? Optional.empty() : Optional.of(credentials.apply(pki()));
  }

  /** True for the server that speaks no TLS at all. */
  public boolean plaintext() {
    return credentials == null;
  }

  /** The TLS versions the server enables, JSSE names ({@code TLSv1.3}, {@code TLSv1}...). */
  public List<String> serverProtocols() {
    return serverProtocols;
  }

  /** The cipher suites the server enables, JSSE names; empty means the JDK's defaults. */
  public List<String> serverCipherSuites() {
    return serverCipherSuites;
  }

  /**
   * The same protocol versions as OpenSSL spells them for native servers, for example redis-server
   * {@code --tls-protocols "TLSv1.2 TLSv1.3"}. (OpenSSL and JSSE happen to use the same names.)
   */
  public List<String> opensslProtocols() {
    return opensslProtocols;
  }

  /**
   * An OpenSSL cipher string for TLS 1.2 and below (redis {@code tls-ciphers}, mosquitto {@code
   * ciphers}); empty means the server's default. Includes {@code @SECLEVEL=0} where OpenSSL 3 would
   * otherwise refuse to serve the defect (TLS 1.0/1.1, SHA-1 signatures, RSA-1024).
   */
  public String opensslCiphers() {
    return opensslCiphers;
  }

  /** The check a Moat client must refuse with; empty for {@code GOOD}. */
  public Optional<Check> expectedCheck() {
    return Optional.ofNullable(expectedCheck);
  }

  /** True when a correct client connects and moves data: {@code GOOD} only. */
  public boolean expectsSuccess() {
    return expectedCheck == null;
  }

  /** True when the server needs TLS 1.0 or 1.1, which testkit re-enables in the test JVM. */
  public boolean legacyProtocol() {
    return legacyProtocol;
  }

  /**
   * False for every scenario now: {@code REVOKED} and {@code REVOKED_STAPLED} are revoked at a real
   * OCSP responder ({@link TestPki#revocationResponder()}) and refused by the default policy. Kept
   * for the catalog tests that still consult it.
   */
  public boolean pendingRevocationSupport() {
    return pendingRevocationSupport;
  }

  /**
   * True for {@code REVOKED_STAPLED}: the server should staple an OCSP response ({@link
   * TlsTestServer#start(Scenario)} does, with JDK server-side stapling). A native server that
   * cannot staple still gets the scenario refused, as the leaf's responder URL answers "revoked"
   * to the client too.
   */
  public boolean staplesOcsp() {
    return staplesOcsp;
  }

  /**
   * Why this scenario cannot run in this JVM, if it cannot: TLS 1.0/1.1 that JSSE keeps disabled.
   * Catalog tests skip (assume) on it.
   *
   * <p>Under {@code CI=true} (environment) or {@code -Dmoat.requireServers=true} a scenario that
   * cannot run is a broken test set-up, not a reason to skip: this method then throws instead of
   * returning a reason, so every catalog test that asks (an assumption, a broker that leaves the
   * scenario out, a demo that marks it skipped) fails loudly with the reason. Returning empty
   * instead would not be honest: a JVM broker or native server asked to speak a protocol JSSE keeps
   * disabled refuses the handshake itself, and the client's refusal would pass for Moat's.
   *
   * @throws IllegalStateException under CI or {@code moat.requireServers} when the scenario cannot
   *     run in this JVM
   */
  public Optional<String> unavailableReason() {
    if (pendingRevocationSupport) {
      return Optional.of(
          name + ": testkit does not publish CRLs or OCSP responses yet (pending revocation support)");
    }
    if (legacyProtocol) {
      String reason = LegacyTls.unavailableReason();
      if (reason != null && LegacyTls.serversRequired()) {
        throw new IllegalStateException(name + ": " + reason
            + " (CI=true or -Dmoat.requireServers=true: a catalog scenario that cannot run fails"
            + " instead of being skipped)");
      }
      return Optional.ofNullable(reason);
    }
    return Optional.empty();
  }

  /** The pins the client policy configures for {@link #host()}; empty unless {@code PIN_MISMATCH}. */
  public List<String> pins() {
    if (!pinMismatch) {
      return List.of();
    }
    return List.of(PinHolder.PINS.get(0).toString(), PinHolder.PINS.get(1).toString());
  }

  /**
   * The policy a Moat client uses for this scenario: trusts {@link #trustRoot()} only, and for
   * {@code PIN_MISMATCH} pins {@code localhost} to two keys that match nothing. Revocation is the
   * default ({@code Revocation.softFail()}), which refuses {@code REVOKED} and {@code
   * REVOKED_STAPLED}.
   */
  public TlsPolicy policy() {
    TlsPolicy.Builder builder = TlsPolicy.builder().trustRoot(trustRoot());
    List<String> pins = pins();
    if (!pins.isEmpty()) {
      builder.pin(host(), pins.toArray(new String[0]));
    }
    return builder.build();
  }

  /**
   * Writes this scenario's server files (its chain as {@code server.crt}, key as {@code
   * server.key}, the trusted root as {@code ca.crt}) for a native server.
   *
   * @throws IllegalStateException for {@code PLAINTEXT}, which has no certificate
   */
  public ServerFiles writeServerFiles(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Credentials presented =
        credentials()
            .orElseThrow(() -> new IllegalStateException(name + " presents no certificate"));
    return pki().writeServerFiles(presented, dir);
  }

  /**
   * A server-side socket factory for servers that layer TLS over the sockets they accept (OkHttp's
   * MockWebServer): presents {@link #credentials()} and enables only {@link #serverProtocols()} and
   * {@link #serverCipherSuites()}. It does not staple OCSP ({@link #staplesOcsp()}): serve that
   * scenario with {@link TlsTestServer#start(Scenario)} to test stapling.
   *
   * <pre>{@code
   * server.useHttps(BadTls.byName("TLS_1_0_ONLY").serverSocketFactory());
   * }</pre>
   *
   * @throws IllegalStateException for {@code PLAINTEXT}, which has no certificate
   */
  public SSLSocketFactory serverSocketFactory() {
    Credentials presented =
        credentials()
            .orElseThrow(() -> new IllegalStateException(name + " presents no certificate"));
    return presented.serverSocketFactory(serverProtocols, serverCipherSuites);
  }

  /** The name, so parameterised test reports read {@code [3] EXPIRED}. */
  @Override
  public String toString() {
    return name;
  }

  private static final class PinHolder {
    static final List<dev.moat.core.Pin> PINS = TestPki.unrelatedPins(2);
  }
}
