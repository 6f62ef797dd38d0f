package dev.moat.http;

import dev.moat.core.TlsPolicy;
import dev.moat.http.internal.MoatHttpClientBuilder;
import dev.moat.http.internal.Refusals;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Objects;

/**
 * Builds JDK {@link HttpClient}s ({@code java.net.http}) that speak only TLS, and only to peers
 * that satisfy a {@link TlsPolicy}.
 *
 * <pre>{@code
 * HttpClient client = HttpClientTls.newBuilder(policy)
 *     .connectTimeout(Duration.ofSeconds(5))    // the JDK builder's own methods
 *     .build();
 * HttpResponse<String> response =
 *     client.send(HttpRequest.newBuilder(URI.create("https://api.example.com/")).build(),
 *         HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>The builder is an ordinary {@link HttpClient.Builder} carrying the policy's {@link
 * TlsPolicy#sslContext(String) SSLContext} and {@link TlsPolicy#sslParameters() SSLParameters};
 * what it builds is an {@link HttpClient} that checks each request before the JDK sees it. That is
 * the least surprising place for the check: code keeps calling {@code send}/{@code sendAsync}, and
 * an {@code http://} URI fails there with {@link HttpRefusalException} (an {@link
 * java.io.IOException}) before any connection is opened, as it does with OkHttp. Code that builds
 * its own {@code HttpClient} can call {@link #checkUri(TlsPolicy, URI)} instead.
 *
 * <p>What the built client does besides: TLS failures are thrown as {@link
 * javax.net.ssl.SSLHandshakeException} whose cause is core's {@link
 * dev.moat.core.TlsRefusalException}; {@code Strict-Transport-Security} received over TLS is
 * remembered in the options' {@link HstsStore} and later {@code http://} requests to such a host
 * (if exempted from TLS at all) go out as https; plaintext bodies from exempted hosts are checked
 * against their digests (see {@link HttpOptions}); {@code ws://} WebSockets are refused like {@code
 * http://}.
 *
 * <p><b>What wins when the builder is changed.</b> The builder refuses, with {@link
 * IllegalArgumentException}, whatever would weaken TLS: another {@code sslContext}, {@code
 * sslParameters} that share no protocol or suite with the policy (others are narrowed to the
 * policy's, and endpoint identification stays on), and {@code followRedirects(ALWAYS)} (which
 * follows https to http; {@code NORMAL} does not and is accepted). Redirects default to {@code
 * NEVER}, as in the JDK. Plaintext requests to exempted hosts never follow redirects, so a redirect
 * cannot carry a request in clear to a host that is not exempted.
 *
 * <p>On Java 21 and later, {@code close()}, {@code shutdown()} and {@code shutdownNow()} reach the
 * JDK clients inside.
 *
 * <p><b>Security</b>: as for {@link OkHttpTls}, hosts named in {@code insecureAllowPlaintextTo}
 * are reached in plaintext; payload digests detect corruption and naive tampering, not an attacker
 * who rewrites the digest too.
 */
public final class HttpClientTls {
  private HttpClientTls() {}

  /** A JDK client builder wired to {@code policy}, with default {@link HttpOptions}. */
  public static HttpClient.Builder newBuilder(TlsPolicy policy) {
    return newBuilder(policy, HttpOptions.defaults());
  }

  /** A JDK client builder wired to {@code policy} and {@code options}. */
  public static HttpClient.Builder newBuilder(TlsPolicy policy, HttpOptions options) {
    return new MoatHttpClientBuilder(
        Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(options, "options"));
  }

  /** {@code newBuilder(policy).build()}. */
  public static HttpClient newClient(TlsPolicy policy) {
    return newBuilder(policy).build();
  }

  /**
   * Refuses a plaintext URI ({@code http:}, {@code ws:}) unless the policy exempts its host; for
   * code that sends through an {@link HttpClient} it built itself.
   *
   * @throws HttpRefusalException for a plaintext URI to a host without an exemption
   */
  public static void checkUri(TlsPolicy policy, URI uri) throws HttpRefusalException {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if ("http".equalsIgnoreCase(scheme) || "ws".equalsIgnoreCase(scheme)) {
      String host = uri.getHost() == null ? "" : uri.getHost().replace("[", "").replace("]", "");
      Refusals.requireTls(policy, Refusals.redact(uri), host);
    }
  }
}
