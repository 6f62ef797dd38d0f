package dev.moat.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A tiny HTTP server on 127.0.0.1 for testkit's OCSP responder and CRL endpoint: daemon threads
 * only, one path, an optional delay before answering, a request counter, and a {@link #stop()}
 * that leaves the port closed so clients see "connection refused".
 */
public final class LoopbackHttp implements AutoCloseable {
  /** The longest body a request may have; testkit's clients send a few hundred bytes. */
  private static final int MAX_REQUEST = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final int port;
  private final String path;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private volatile boolean stopped;

  /**
   * Binds 127.0.0.1 on a free port and serves {@code path} with {@code handler}, which maps the
   * request (method, path with query, body) to the response body, or throws to answer HTTP 500.
   */
  public LoopbackHttp(String path, String contentType, Function<Request, byte[]> handler) {
    this.path = path;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "moat-testkit-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // HttpServer's dispatcher thread inherits daemon status from the thread that starts it.
    AtomicReference<Object> result = new AtomicReference<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                HttpServer s =
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                s.createContext(path, exchange -> handle(exchange, contentType, handler));
                s.setExecutor(executor);
                s.start();
                result.set(s);
              } catch (IOException | RuntimeException e) {
                result.set(e);
              }
            },
            "moat-testkit-http-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Object r = result.get();
    if (!(r instanceof HttpServer)) {
      executor.shutdownNow();
      if (r instanceof IOException) {
        throw new UncheckedIOException("cannot bind a loopback port", (IOException) r);
      }
      throw new IllegalStateException("cannot start a loopback HTTP server", (Throwable) r);
    }
    this.server = (HttpServer) r;
    this.port = server.getAddress().getPort();
  }

  /** One request as the handler sees it. */
  public record Request(String method, String pathAndQuery, byte[] body) {}

  private void handle(HttpExchange exchange, String contentType, Function<Request, byte[]> handler)
      throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_REQUEST);
      }
      Duration wait = delay.get();
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] response;
      try {
        response =
            handler.apply(
                new Request(
                    exchange.getRequestMethod(), exchange.getRequestURI().toString(), body));
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    } catch (IOException e) {
      // the client hung up (timeouts in the tests); nothing to do
    }
  }

  /** {@code http://127.0.0.1:port/path}. */
  public String url() {
    return "http://127.0.0.1:" + port + path;
  }

  /** Requests received so far (counted on arrival, before any delay). */
  public int requests() {
    return requests.get();
  }

  /** Sets the request counter back to zero. */
  public void resetRequests() {
    requests.set(0);
  }

  /** Waits this long before answering each request (zero: answer at once). */
  public void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    this.delay.set(delay);
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopped() {
    return stopped;
  }

  /** Closes the port (clients get "connection refused"); the URL keeps naming it. Idempotent. */
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    executor.shutdownNow(); // interrupts handlers sleeping in a delay first
    server.stop(0);
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
