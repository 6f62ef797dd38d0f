package dev.moat.redis.internal;

import dev.moat.core.TlsPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

  // Lettuce names Sentinel URIs, user name included, in some connection errors: every connect
  // method passes its failure through Redaction.

  @Override
  public StatefulRedisConnection<String, String> connect() {
    return redacted(super::connect);
  }

  @Override
  public <K, V> StatefulRedisConnection<K, V> connect(RedisCodec<K, V> codec) {
    return redacted(() -> super.connect(codec));
  }

  @Override
  public StatefulRedisConnection<String, String> connect(RedisURI redisURI) {
    return redacted(() -> super.connect(redisURI));
  }

  @Override
  public <K, V> StatefulRedisConnection<K, V> connect(RedisCodec<K, V> codec, RedisURI redisURI) {
    return redacted(() -> super.connect(codec, redisURI));
  }

  @Override
  public <K, V> ConnectionFuture<StatefulRedisConnection<K, V>> connectAsync(
      RedisCodec<K, V> codec, RedisURI redisURI) {
    return redacted(super.connectAsync(codec, redisURI));
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return redacted(super::connectPubSub);
  }

  @Override
  public StatefulRedisPubSubConnection<String, String> connectPubSub(RedisURI redisURI) {
    return redacted(() -> super.connectPubSub(redisURI));
  }

  @Override
  public <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(RedisCodec<K, V> codec) {
    return redacted(() -> super.connectPubSub(codec));
  }

  @Override
  public <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(
      RedisCodec<K, V> codec, RedisURI redisURI) {
    return redacted(() -> super.connectPubSub(codec, redisURI));
  }

  @Override
  public <K, V> ConnectionFuture<StatefulRedisPubSubConnection<K, V>> connectPubSubAsync(
      RedisCodec<K, V> codec, RedisURI redisURI) {
    return redacted(super.connectPubSubAsync(codec, redisURI));
  }

  @Override
  public StatefulRedisSentinelConnection<String, String> connectSentinel() {
    return redacted(super::connectSentinel);
  }

  @Override
  public <K, V> StatefulRedisSentinelConnection<K, V> connectSentinel(RedisCodec<K, V> codec) {
    return redacted(() -> super.connectSentinel(codec));
  }

  @Override
  public StatefulRedisSentinelConnection<String, String> connectSentinel(RedisURI redisURI) {
    return redacted(() -> super.connectSentinel(redisURI));
  }

  @Override
  public <K, V> StatefulRedisSentinelConnection<K, V> connectSentinel(
      RedisCodec<K, V> codec, RedisURI redisURI) {
    return redacted(() -> super.connectSentinel(codec, redisURI));
  }

  @Override
  public <K, V> CompletableFuture<StatefulRedisSentinelConnection<K, V>> connectSentinelAsync(
      RedisCodec<K, V> codec, RedisURI redisURI) {
    return Redaction.redactFailure(super.connectSentinelAsync(codec, redisURI));
  }

  private static <T> T redacted(Supplier<T> connect) {
    try {
      return connect.get();
    } catch (RuntimeException e) {
      Throwable clean = Redaction.redact(e);
      throw clean instanceof RuntimeException
          ? (RuntimeException) clean
          : new RedisConnectionException(clean.getMessage(), clean);
    }
  }

  private static <T> ConnectionFuture<T> redacted(ConnectionFuture<T> future) {
    return ConnectionFuture.from(
        future.getRemoteAddress(), Redaction.redactFailure(future.toCompletableFuture()));
  }

  @Override
  public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit timeUnit) {
    CompletableFuture<Void> closed = super.shutdownAsync(quietPeriod, timeout, timeUnit);
    return ownsResources
        ? OwnedResources.shutdownAfter(closed, getResources(), quietPeriod, timeout, timeUnit)
        : closed;
  }

  /** The URI with credentials redacted and the policy; never a password. */
  @Override
  public String toString() {
    return "LettuceTls.RedisClient[" + shown + ", " + policy + "]";
  }
}
