/**
 * Lettuce clients that speak only verified TLS to Redis: {@link dev.moat.redis.LettuceTls} builds
 * {@link io.lettuce.core.RedisClient} and {@link io.lettuce.core.cluster.RedisClusterClient}
 * instances from a {@link dev.moat.core.TlsPolicy}, and refuses {@code redis://}, {@code
 * verifyPeer=NONE} and {@code verifyPeer=CA} before any connection is made.
 *
 * <pre>{@code
 * RedisClient client = LettuceTls.redisClient(policy, "rediss://cache.example.com:6380");
 * }</pre>
 */
@NullMarked
package dev.moat.redis;

import org.jspecify.annotations.NullMarked;
