package dev.moat.redis.internal;

import dev.moat.core.TlsPolicy;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.resource.ClientResources;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RedisClusterClient} that keeps the policy's {@link SslOptions} whatever options are set
 * later, and shuts down the client resources it owns. Node connections are checked by {@link
 * NodeNameResolver} and {@link TlsGuard} in its resources.
 */
public final class MoatRedisClusterClient extends RedisClusterClient {
  private final @Nullable SslOptions sslOptions;
  private final boolean ownsResources;
  private final String shown;
  private final TlsPolicy policy;
  private final @Nullable String nodeHostName;

  public MoatRedisClusterClient(
      TlsPolicy policy,
      SslOptions sslOptions,
      ClientResources resources,
      boolean ownsResources,
      List<RedisURI> seeds,
      @Nullable String nodeHostName) {
    super(resources, seeds);
    this.policy = policy;
    this.sslOptions = sslOptions;
    this.ownsResources = ownsResources;
    this.nodeHostName = nodeHostName;
    this.shown = seeds.stream().map(RedisUris::redact).collect(Collectors.joining(", "));
    super.setOptions(ClusterClientOptions.builder(getOptions()).sslOptions(sslOptions).build());
  }

  /** Keeps Moat's SSL options: options set later may change anything but TLS. */
  @Override
  public void setOptions(ClusterClientOptions clientOptions) {
    SslOptions own = sslOptions;
    super.setOptions(
        own == null
            ? clientOptions
            : ClusterClientOptions.builder(clientOptions)
                .sslOptions(MoatRedisClient.keepTimeout(own, clientOptions))
                .build());
  }

  /** Lettuce names the seed URIs, user name included, when the topology cannot be loaded. */
  @Override
  protected CompletableFuture<Partitions> loadPartitionsAsync() {
    return Redaction.redactFailure(super.loadPartitionsAsync());
  }

  @Override
  public CompletableFuture<Void> shutdownAsync(long quietPeriod, long timeout, TimeUnit timeUnit) {
    CompletableFuture<Void> closed = super.shutdownAsync(quietPeriod, timeout, timeUnit);
    return ownsResources
        ? OwnedResources.shutdownAfter(closed, getResources(), quietPeriod, timeout, timeUnit)
        : closed;
  }

  /** The seeds with credentials redacted, the node host name and the policy; never a password. */
  @Override
  public String toString() {
    return "LettuceTls.RedisClusterClient[" + shown
        + (nodeHostName == null ? "" : ", IP-addressed nodes verified as " + nodeHostName)
        + ", " + policy + "]";
  }
}
