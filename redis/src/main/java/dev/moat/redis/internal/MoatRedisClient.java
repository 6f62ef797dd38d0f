package dev.moat.redis.internal;

import dev.moat.core.TlsPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link RedisClient} that checks every URI it connects to, keeps the policy's {@link SslOptions}
 * whatever options are set later, and shuts down the client resources it owns.
 */
public final class MoatRedisClient extends RedisClient {
  private final TlsPolicy policy;
  private final @Nullable SslOptions sslOptions;
  private final boolean ownsResources;
  private final String shown;

  public MoatRedisClient(
      TlsPolicy policy,
      SslOptions sslOptions,
      ClientResources resources,
      boolean ownsResources,
      RedisURI uri) {
    super(resources, uri);
    this.policy = policy;
    this.sslOptions = sslOptions;
    this.ownsResources = ownsResources;
    this.shown = RedisUris.redact(uri);
    super.setOptions(getOptions().mutate().sslOptions(sslOptions).build());
  }

  /** Keeps Moat's SSL options: options set later may change anything but TLS. */
  @Override
  public void setOptions(ClientOptions clientOptions) {
    SslOptions own = sslOptions;
    super.setOptions(
        own == null
            ? clientOptions
            : clientOptions.mutate().sslOptions(keepTimeout(own, clientOptions)).build());
  }

  /** Moat's SSL options with the handshake timeout the caller's options ask for. */
  static SslOptions keepTimeout(SslOptions own, ClientOptions requested) {
    SslOptions theirs = requested.getSslOptions();
    if (theirs == null || theirs.getHandshakeTimeout().equals(own.getHandshakeTimeout())) {
      return own;
    }
    return own.mutate().handshakeTimeout(theirs.getHandshakeTimeout()).build();
  }

  /** Checks the URI (plaintext, verify mode, startTls) each time a connection is opened. */
  @Override
  protected Mono<SocketAddress> getSocketAddress(RedisURI redisURI) {
    return Mono.defer(
        () -> {
          RedisUris.check(policy, redisURI);
          return super.getSocketAddress(redisURI);
        });
  }

  @Override
  public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit timeUnit) {
    CompletableFuture<Void> closed = super.shutdownAsync(quietPeriod, timeout, timeUnit);
    if (!ownsResources) {
      return closed;
    }
    return closed.thenCompose(
        ignored -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          getResources()
              .shutdown(quietPeriod, timeout, timeUnit)
              .addListener(
                  f -> {
                    if (f.isSuccess()) {
                      done.complete(null);
                    } else {
                      done.completeExceptionally(f.cause());
                    }
                  });
          return done;
        });
  }

  /** The URI with credentials redacted and the policy; never a password. */
  @Override
  public String toString() {
    return "LettuceTls.RedisClient[" + shown + ", " + policy + "]";
  }
}
