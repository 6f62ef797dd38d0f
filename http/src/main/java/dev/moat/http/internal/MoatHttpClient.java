package dev.moat.http.internal;

import dev.moat.core.TlsPolicy;
import dev.moat.http.HttpOptions;
import dev.moat.http.HttpRefusalException;
import dev.moat.http.PayloadIntegrityException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HttpClient} that checks each request before handing it to the JDK's client: {@code
 * http://} is refused (or upgraded by HSTS) before anything is opened, TLS failures carry the core
 * refusal, HSTS headers are remembered, and plaintext bodies from exempted hosts are checked
 * against their digests.
 */
public final class MoatHttpClient extends HttpClient {
  private final TlsPolicy policy;
  private final HttpOptions options;
  private final HttpClient tls;
  private final HttpClient plaintext;

  MoatHttpClient(TlsPolicy policy, HttpOptions options, HttpClient tls, HttpClient plaintext) {
    this.policy = policy;
    this.options = options;
    this.tls = tls;
    this.plaintext = plaintext;
  }

  // ---------------------------------------------------------------- checks

  /**
   * The request to send: https unchanged; http to an exempted host upgraded when HSTS knows it,
   * else unchanged; http to any other host refused.
   */
  private HttpRequest prepare(HttpRequest request) throws HttpRefusalException {
    URI uri = request.uri();
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      return request;
    }
    String host = hostOf(uri);
    if (policy.allowsPlaintextTo(host) && options.hstsStore().upgrades(host)) {
      return HttpRequest.newBuilder(request, (name, value) -> true).uri(upgrade(uri)).build();
    }
    Refusals.requireTls(policy, Refusals.redact(uri), host);
    return request;
  }

  static String hostOf(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return "";
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** RFC 6797 8.3: https, port 80 becomes the default, any other port is kept. */
  private static URI upgrade(URI uri) {
    StringBuilder b = new StringBuilder("https://");
    if (uri.getRawUserInfo() != null) {
      b.append(uri.getRawUserInfo()).append('@');
    }
    b.append(uri.getHost());
    if (uri.getPort() >= 0 && uri.getPort() != 80) {
      b.append(':').append(uri.getPort());
    }
    b.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      b.append('?').append(uri.getRawQuery());
    }
    return URI.create(b.toString());
  }

  private static boolean isPlaintext(HttpRequest request) {
    return "http".equalsIgnoreCase(request.uri().getScheme());
  }

  private static int portOf(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
  }

  private <T> HttpResponse.BodyHandler<T> handlerFor(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    if (!isPlaintext(request)) {
      return handler;
    }
    String host = hostOf(request.uri());
    String endpoint = Refusals.redact(request.uri());
    boolean head = request.method().equalsIgnoreCase("HEAD");
    return info -> {
      int code = info.statusCode();
      if (head || code < 200 || code == 204 || code == 304) {
        return handler.apply(info);
      }
      PayloadDigests digests;
      try {
        digests = PayloadDigests.fromHeaders(
            name -> info.headers().allValues(name.toLowerCase(Locale.ROOT)), code, endpoint);
      } catch (PayloadIntegrityException e) {
        return new Failing<>(e);
      }
      if (digests.isEmpty()) {
        return options.requiresIntegrity(host)
            ? new Failing<>(PayloadDigests.missing(endpoint, host))
            : handler.apply(info);
      }
      return new Digesting<>(handler.apply(info), digests);
    };
  }

  private void remember(HttpResponse<?> response) {
    for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
      if (r.sslSession().isPresent() && "https".equalsIgnoreCase(r.uri().getScheme())) {
        HttpHeaders headers = r.headers();
        List<String> sts = headers.allValues("strict-transport-security");
        if (!sts.isEmpty()) {
          options.hstsStore().remember(hostOf(r.uri()), sts.get(0));
        }
      }
    }
  }

  private IOException translate(IOException e, HttpRequest request) {
    // HttpClient.send wraps the body's failure in a fresh IOException; give back our own.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof PayloadIntegrityException || c instanceof HttpRefusalException) {
        return (IOException) c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    if (isPlaintext(request)) {
      return e;
    }
    return Refusals.surface(e, hostOf(request.uri()), portOf(request.uri()));
  }

  // ---------------------------------------------------------------- sending

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpRequest prepared = prepare(request);
    HttpClient client = isPlaintext(prepared) ? plaintext : tls;
    try {
      HttpResponse<T> response = client.send(prepared, handlerFor(prepared, handler));
      remember(response);
      return response;
    } catch (IOException e) {
      throw translate(e, prepared);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    HttpRequest prepared;
    try {
      prepared = prepare(request);
    } catch (HttpRefusalException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpClient client = isPlaintext(prepared) ? plaintext : tls;
    CompletableFuture<HttpResponse<T>> sent =
        pushPromiseHandler == null
            ? client.sendAsync(prepared, handlerFor(prepared, handler))
            : client.sendAsync(prepared, handlerFor(prepared, handler), pushPromiseHandler);
    CompletableFuture<HttpResponse<T>> out = new CompletableFuture<>();
    sent.whenComplete(
        (response, failure) -> {
          if (failure == null) {
            remember(response);
            out.complete(response);
            return;
          }
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          out.completeExceptionally(
              cause instanceof IOException ? translate((IOException) cause, prepared) : cause);
        });
    out.whenComplete(
        (response, failure) -> {
          if (out.isCancelled()) {
            sent.cancel(true);
          }
        });
    return out;
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return new WebSockets(tls.newWebSocketBuilder());
  }

  /** Refuses {@code ws://} the way {@link #prepare} refuses {@code http://}. */
  private final class WebSockets implements WebSocket.Builder {
    private final WebSocket.Builder delegate;

    WebSockets(WebSocket.Builder delegate) {
      this.delegate = delegate;
    }

    @Override
    public WebSocket.Builder header(String name, String value) {
      delegate.header(name, value);
      return this;
    }

    @Override
    public WebSocket.Builder connectTimeout(Duration timeout) {
      delegate.connectTimeout(timeout);
      return this;
    }

    @Override
    public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
      delegate.subprotocols(mostPreferred, lesserPreferred);
      return this;
    }

    @Override
    public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener listener) {
      if ("ws".equalsIgnoreCase(uri.getScheme())) {
        try {
          Refusals.requireTls(policy, Refusals.redact(uri), hostOf(uri));
        } catch (HttpRefusalException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      return delegate.buildAsync(uri, listener);
    }
  }

  // ---------------------------------------------------------------- settings

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return tls.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return tls.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return tls.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return tls.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return tls.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return tls.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return tls.authenticator();
  }

  @Override
  public Version version() {
    return tls.version();
  }

  @Override
  public Optional<Executor> executor() {
    return tls.executor();
  }

  // Java 21 added shutdown/close to HttpClient with default bodies that know nothing of a
  // delegate. These methods have the same signatures, so on Java 21+ they override those defaults
  // and reach the JDK clients; on Java 17 they are plain methods (and do nothing).

  /** Starts an orderly shutdown of the underlying clients (Java 21+; no-op before). */
  public void shutdown() {
    invokeOnClients("shutdown");
  }

  /** Stops the underlying clients now (Java 21+; no-op before). */
  public void shutdownNow() {
    invokeOnClients("shutdownNow");
  }

  /** Whether the underlying clients have terminated (Java 21+; false before). */
  public boolean isTerminated() {
    return Boolean.TRUE.equals(invoke(tls, "isTerminated")) && (plaintext == tls
        || Boolean.TRUE.equals(invoke(plaintext, "isTerminated")));
  }

  /** Closes the underlying clients (Java 21+; no-op before). */
  public void close() {
    invokeOnClients("close");
  }

  private void invokeOnClients(String name) {
    invoke(tls, name);
    if (plaintext != tls) {
      invoke(plaintext, name);
    }
  }

  private static @Nullable Object invoke(HttpClient client, String name) {
    Method method;
    try {
      method = HttpClient.class.getMethod(name);
    } catch (NoSuchMethodException e) {
      return Boolean.FALSE; // Java 17-20: the JDK client has no such lifecycle
    }
    try {
      Object result = method.invoke(client);
      return result == null ? Boolean.TRUE : result;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call HttpClient." + name, e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException("HttpClient." + name + " failed", cause);
    }
  }

  @Override
  public String toString() {
    return "MoatHttpClient{" + policy + ", " + tls + "}";
  }

  // ---------------------------------------------------------------- body subscribers

  /** Passes the body through, feeding the digests, and fails it at the end on a mismatch. */
  private static final class Digesting<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> downstream;
    private final PayloadDigests digests;

    Digesting(HttpResponse.BodySubscriber<T> downstream, PayloadDigests digests) {
      this.downstream = downstream;
      this.digests = digests;
    }

    @Override
    public CompletionStage<T> getBody() {
      return downstream.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      downstream.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        digests.update(item);
      }
      downstream.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      downstream.onError(throwable);
    }

    @Override
    public void onComplete() {
      try {
        digests.finish();
      } catch (PayloadIntegrityException e) {
        downstream.onError(e);
        return;
      }
      downstream.onComplete();
    }
  }

  /** A body that fails at once (missing or malformed digest), without reading the stream. */
  private static final class Failing<T> implements HttpResponse.BodySubscriber<T> {
    private final CompletableFuture<T> body;

    Failing(PayloadIntegrityException failure) {
      this.body = CompletableFuture.failedFuture(failure);
    }

    @Override
    public CompletionStage<T> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      // cancelled in onSubscribe
    }

    @Override
    public void onError(Throwable throwable) {
      // the body has already failed
    }

    @Override
    public void onComplete() {
      // the body has already failed
    }
  }
}
