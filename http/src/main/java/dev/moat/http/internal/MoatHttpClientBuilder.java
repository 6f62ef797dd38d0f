package dev.moat.http.internal;

import dev.moat.core.TlsPolicy;
import dev.moat.http.HttpOptions;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient.Builder} that holds the policy's TLS settings fixed and builds a {@link
 * MoatHttpClient}. Settings that would weaken TLS are refused when they are made, not ignored.
 */
public final class MoatHttpClientBuilder implements HttpClient.Builder {
  private final TlsPolicy policy;
  private final HttpOptions options;
  private final SSLContext context;
  private final HttpClient.Builder delegate;
  private HttpClient.Redirect redirect = HttpClient.Redirect.NEVER;

  public MoatHttpClientBuilder(TlsPolicy policy, HttpOptions options) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.options = Objects.requireNonNull(options, "options");
    this.context = policy.sslContext("https");
    this.delegate =
        HttpClient.newBuilder()
            .sslContext(context)
            .sslParameters(policy.sslParameters())
            .followRedirects(redirect);
  }

  @Override
  public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
    delegate.cookieHandler(cookieHandler);
    return this;
  }

  @Override
  public HttpClient.Builder connectTimeout(Duration duration) {
    delegate.connectTimeout(duration);
    return this;
  }

  /**
   * Accepts only the policy's own context.
   *
   * @throws IllegalArgumentException for any other context
   */
  @Override
  public HttpClient.Builder sslContext(SSLContext sslContext) {
    Objects.requireNonNull(sslContext, "sslContext");
    if (sslContext != context) {
      throw new IllegalArgumentException(
          "sslContext is set by the TlsPolicy and cannot be replaced on a Moat client: another"
              + " context would bypass the policy's trust manager. Change the policy instead"
              + " (TlsPolicy.toBuilder()...), or build a plain HttpClient outside Moat.");
    }
    return this;
  }

  /**
   * Narrows the policy's parameters: protocols and cipher suites are intersected with the
   * policy's, server names (SNI) and ALPN are taken as given, endpoint identification stays on.
   *
   * @throws IllegalArgumentException when nothing of the policy's protocols or suites remains
   */
  @Override
  public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
    Objects.requireNonNull(sslParameters, "sslParameters");
    SSLParameters merged = policy.sslParameters();
    if (sslParameters.getProtocols() != null) {
      merged.setProtocols(narrow("protocols", sslParameters.getProtocols(), policy.protocols()));
    }
    if (sslParameters.getCipherSuites() != null) {
      merged.setCipherSuites(
          narrow("cipherSuites", sslParameters.getCipherSuites(), policy.cipherSuites()));
    }
    if (sslParameters.getServerNames() != null) {
      merged.setServerNames(sslParameters.getServerNames());
    }
    String[] alpn = sslParameters.getApplicationProtocols();
    if (alpn != null && alpn.length > 0) {
      merged.setApplicationProtocols(alpn);
    }
    delegate.sslParameters(merged);
    return this;
  }

  private static String[] narrow(String what, String[] asked, List<String> allowed) {
    List<String> keep = new ArrayList<>();
    for (String s : asked) {
      if (allowed.contains(s)) {
        keep.add(s);
      }
    }
    if (keep.isEmpty()) {
      throw new IllegalArgumentException(
          "sslParameters " + what + " " + Arrays.toString(asked) + " share nothing with the"
              + " TlsPolicy's; allowed: " + allowed);
    }
    return keep.toArray(new String[0]);
  }

  @Override
  public HttpClient.Builder executor(Executor executor) {
    delegate.executor(executor);
    return this;
  }

  /**
   * {@code NEVER} (the default) or {@code NORMAL}.
   *
   * @throws IllegalArgumentException for {@code ALWAYS}, which follows https to http redirects
   */
  @Override
  public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
    Objects.requireNonNull(policy, "policy");
    if (policy == HttpClient.Redirect.ALWAYS) {
      throw new IllegalArgumentException(
          "followRedirects ALWAYS would follow redirects from https to http; use NORMAL (follows"
              + " every redirect except to http) or NEVER");
    }
    this.redirect = policy;
    delegate.followRedirects(policy);
    return this;
  }

  @Override
  public HttpClient.Builder version(HttpClient.Version version) {
    delegate.version(version);
    return this;
  }

  @Override
  public HttpClient.Builder priority(int priority) {
    delegate.priority(priority);
    return this;
  }

  @Override
  public HttpClient.Builder proxy(ProxySelector proxySelector) {
    delegate.proxy(proxySelector);
    return this;
  }

  @Override
  public HttpClient.Builder authenticator(Authenticator authenticator) {
    delegate.authenticator(authenticator);
    return this;
  }

  @Override
  public HttpClient build() {
    HttpClient tls = delegate.build();
    HttpClient plaintext = tls;
    if (redirect != HttpClient.Redirect.NEVER && !policy.plaintextExemptions().isEmpty()) {
      // The JDK follows http -> http redirects internally, past any check of ours; plaintext
      // requests (to exempted hosts only) therefore go through a client that follows none.
      plaintext = delegate.followRedirects(HttpClient.Redirect.NEVER).build();
      delegate.followRedirects(redirect);
    }
    return new MoatHttpClient(policy, options, tls, plaintext);
  }
}
