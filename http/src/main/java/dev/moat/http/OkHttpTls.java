package dev.moat.http;

import dev.moat.core.TlsPolicy;
import dev.moat.http.internal.OkHttpGuard;
import java.util.List;
import java.util.Objects;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * Builds OkHttp clients that speak only TLS, and only to peers that satisfy a {@link TlsPolicy}.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().pin("api.example.com", "sha256/...", "sha256/...").build();
 * OkHttpClient client = OkHttpTls.newBuilder(policy)
 *     .callTimeout(Duration.ofSeconds(10))   // carry on with OkHttp's own builder
 *     .build();
 * }</pre>
 *
 * <p>What the returned builder carries:
 *
 * <ul>
 *   <li>the policy's {@link TlsPolicy#sslSocketFactory(String) socket factory} and {@link
 *       TlsPolicy#trustManager(String) strict trust manager} (which checks the host name itself),
 *       with OkHttp's own host-name verifier on top, wrapped so that OkHttp never coalesces
 *       connections (see below);
 *   <li>one {@link ConnectionSpec}: TLS 1.3 and 1.2 (as the policy allows) with the policy's cipher
 *       suites, no {@code CLEARTEXT}, so that OkHttp itself refuses plaintext as a second line
 *       (only when the policy exempts a host from TLS is {@code CLEARTEXT} added, and then the
 *       interceptors below still refuse every host but the exempted ones);
 *   <li>{@code followSslRedirects(false)};
 *   <li>an application interceptor that refuses {@code http://} URLs before any connection is
 *       opened (a {@link HttpRefusalException} whose cause is core's {@link
 *       dev.moat.core.PlaintextRefusedException}), unless the policy names the host in {@code
 *       insecureAllowPlaintextTo}; a host remembered in the {@link HstsStore} is upgraded to https
 *       instead. It also gives TLS failures the core refusal message: the {@link
 *       javax.net.ssl.SSLHandshakeException} the call throws has the {@link
 *       dev.moat.core.TlsRefusalException} (with its typed {@link dev.moat.core.Check}) as its
 *       cause;
 *   <li>a network interceptor that checks every connection and response: a redirect from https to
 *       http is refused, {@code Strict-Transport-Security} received over verified TLS is
 *       remembered, and plaintext responses from exempted hosts are checked against their payload
 *       digests (see {@link HttpOptions}).
 * </ul>
 *
 * <p><b>No HTTP/2 connection coalescing.</b> OkHttp would carry a request for a second host over
 * an HTTP/2 connection made for a first one when both resolve to the same IP and the certificate
 * names both, re-checking only its own host-name verifier and {@code CertificatePinner}: the
 * policy's rules for the second host (its pins, {@code trustRootFor} roots, relaxations,
 * revocation setting) would never run. OkHttp coalesces only when the verifier is its own {@code
 * OkHostnameVerifier}, so Moat's verifier is that one under another identity: every host gets its
 * own connection, verified by the policy for that host. As a second line, the network interceptor
 * compares each request's host with the host the connection's TLS session was verified for; if
 * they differ (an interceptor of the caller's put OkHttp's verifier back), it runs {@link
 * TlsPolicy#verifyServer} on the session's chain for the request's host before the request is
 * written, and refuses with a {@link HttpRefusalException} whose cause is the {@link
 * dev.moat.core.TlsRefusalException}. That re-check has no stapled OCSP response to hand, so a
 * host whose revocation setting needs one is refused rather than carried.
 *
 * <p><b>What wins when the builder is changed later.</b> The builder is OkHttp's own, so nothing
 * stops a caller from setting another {@code sslSocketFactory}, {@code hostnameVerifier}, {@code
 * connectionSpecs} or {@code followSslRedirects(true)} on it. None of these weakens the client:
 *
 * <ul>
 *   <li>{@code sslSocketFactory} and {@code hostnameVerifier}: Moat's application interceptor puts
 *       the policy's factory, trust manager and Moat's non-coalescing verifier back on every
 *       call (OkHttp 5's per-call {@code Chain.withSslSocketFactory}), so the replacement is
 *       never used;
 *   <li>{@code connectionSpecs} with {@code CLEARTEXT} or older TLS versions: {@code http://} is
 *       refused before the connection spec matters, and the policy's sockets enable only the
 *       policy's versions and suites, whatever the spec asks for;
 *   <li>{@code followSslRedirects(true)}: the network interceptor refuses the https to http
 *       redirect response before OkHttp can follow it;
 *   <li>an interceptor of the caller's own that swaps the socket factory per call: the network
 *       interceptor refuses any connection whose TLS session was not negotiated through the
 *       policy's {@code SSLContext} (or uses a version or suite outside the policy), before the
 *       request is written.
 * </ul>
 *
 * <p>Removing Moat's interceptors from {@code interceptors()} or {@code networkInterceptors()}
 * does remove the protection; that takes deliberate code and is not defended against.
 *
 * <p><b>Security</b>: a host named in {@link TlsPolicy.Builder#insecureAllowPlaintextTo} is reached
 * in plaintext when asked for with {@code http://}; its responses are checked against the digests
 * the server sends, and {@link HttpOptions.Builder#requireIntegrityFor(String)} makes a digest
 * mandatory. Digests detect accidental corruption and naive tampering only: an active attacker can
 * rewrite the digest with the body. Only TLS protects against that.
 */
public final class OkHttpTls {
  private OkHttpTls() {}

  /** An OkHttp builder wired to {@code policy}, with default {@link HttpOptions}. */
  public static OkHttpClient.Builder newBuilder(TlsPolicy policy) {
    return newBuilder(policy, HttpOptions.defaults());
  }

  /** An OkHttp builder wired to {@code policy} and {@code options}. */
  public static OkHttpClient.Builder newBuilder(TlsPolicy policy, HttpOptions options) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(options, "options");
    OkHttpGuard guard = new OkHttpGuard(policy, options);
    return new OkHttpClient.Builder()
        .sslSocketFactory(guard.socketFactory(), guard.trustManager())
        .hostnameVerifier(guard.hostnameVerifier())
        .connectionSpecs(
            policy.plaintextExemptions().isEmpty()
                ? List.of(connectionSpec(policy))
                : List.of(connectionSpec(policy), ConnectionSpec.CLEARTEXT))
        .followSslRedirects(false)
        .addInterceptor(guard.applicationInterceptor())
        .addNetworkInterceptor(guard.networkInterceptor());
  }

  /** {@code newBuilder(policy).build()}. */
  public static OkHttpClient newClient(TlsPolicy policy) {
    return newBuilder(policy).build();
  }

  /** {@code newBuilder(policy, options).build()}. */
  public static OkHttpClient newClient(TlsPolicy policy, HttpOptions options) {
    return newBuilder(policy, options).build();
  }

  /** The connection spec for {@code policy}: its TLS versions and cipher suites, no cleartext. */
  public static ConnectionSpec connectionSpec(TlsPolicy policy) {
    return new ConnectionSpec.Builder(ConnectionSpec.RESTRICTED_TLS)
        .tlsVersions(policy.protocols().toArray(new String[0]))
        .cipherSuites(policy.cipherSuites().toArray(new String[0]))
        .build();
  }
}
