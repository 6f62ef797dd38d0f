package dev.moat.redis;

import dev.moat.core.TlsPolicy;
import dev.moat.redis.internal.MoatRedisClient;
import dev.moat.redis.internal.MoatRedisClusterClient;
import dev.moat.redis.internal.NodeNameResolver;
import dev.moat.redis.internal.RedisUris;
import dev.moat.redis.internal.TlsGuard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Builds Lettuce clients that speak only TLS to Redis, and only to servers that satisfy a {@link
 * TlsPolicy}: the policy's trust manager (host name, chain, pins, certificate rules), its client
 * identity for mutual TLS ({@code tls-auth-clients yes}), its protocols (TLS 1.3 and 1.2) and its
 * cipher suites.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().trustRoot(companyRoot).build();
 * RedisClient client = LettuceTls.redisClient(policy, "rediss://:secret@cache.example.com:6380");
 * try (StatefulRedisConnection<String, String> connection = client.connect()) {
 *   connection.sync().set("key", "value");
 * }
 * client.shutdown();
 *
 * RedisClusterClient cluster = LettuceTls.clusterClient(policy,
 *     List.of(RedisURI.create("rediss://redis.example.com:6379")));
 * }</pre>
 *
 * <h2>What is refused, and when</h2>
 *
 * <p>Before any connection: {@code redis://}, {@code redis-sentinel://} and {@code
 * redis-socket://} (a {@link dev.moat.core.PlaintextRefusedException} naming the URI and the
 * exemption {@link TlsPolicy.Builder#insecureAllowPlaintextTo(String, String)} that would allow
 * it), and {@code verifyPeer=NONE}, {@code verifyPeer=CA} and {@code startTls} (a {@link
 * RedisUriRefusedException}). The factories check the URIs they are given; the clients they return
 * check again each time they open a connection, so a {@link RedisURI} changed after the factory saw
 * it ({@code uri.setSsl(false)}) or a URI passed to {@code client.connect(uri)} is refused too.
 * Below Lettuce, a guard in the client resources refuses the TCP connect of any channel that has no
 * TLS handler or whose TLS engine does not verify host names (cluster nodes, Sentinel-discovered
 * masters, reconnects). Messages name the URI with credentials shown as {@code ***@}; no user name
 * or password appears in a message, a log line or a {@code toString()}.
 *
 * <p>Options set later with {@code client.setOptions(...)} keep the policy's {@link SslOptions}.
 *
 * <h2>Nodes reached by IP address (cluster, Sentinel)</h2>
 *
 * <p>A Redis Cluster reports its nodes by IP address ({@code CLUSTER NODES}, unless the servers use
 * {@code cluster-preferred-endpoint-type hostname}); Sentinel reports masters by IP too. Certificates
 * rarely carry those IPs. Moat does not switch host-name checks off for them; instead, the client
 * resources built here give every address that is an IP literal a <em>node host name</em>: the
 * connection still goes to the IP, but the {@link java.net.InetSocketAddress} carries the name, and
 * Lettuce hands that host string to {@code SslContext.newEngine(alloc, host, port)}. The engine's
 * {@code getPeerHost()} is the name, and Moat's trust manager verifies the node's certificate
 * against it, with every pin configured for it. For {@link #clusterClient(TlsPolicy, Iterable)} the
 * node host name is the host of the first seed URI that is a name, not an IP; give it explicitly
 * with {@link #clusterClient(TlsPolicy, String, Iterable)}, or with {@link
 * #clientResources(TlsPolicy, String)} for a Sentinel client. Nodes reported by host name are
 * verified against their own name. Without a node host name, IP-addressed nodes are verified
 * against the IP, which the certificate must then carry as an IP subjectAltName.
 *
 * <p><b>Security:</b> with a node host name, any node certificate that names it (and satisfies its
 * pins) is accepted for every IP address the topology reports: the name vouches for the whole
 * cluster, as a wildcard certificate would. Pin the cluster's keys with {@link
 * TlsPolicy.Builder#pin(String, String...)} on that name to narrow it to the cluster's own keys.
 * The JDK's client session cache is keyed by host and port, so two nodes on the same port share
 * the cache entry for the name; a node can only resume a session whose ticket it can decrypt.
 */
public final class LettuceTls {
  /** The application protocol named in refusal messages: {@code redis}. */
  public static final String PROTOCOL = RedisUris.PROTOCOL;

  private static final System.Logger LOG = System.getLogger(LettuceTls.class.getName());

  private LettuceTls() {}

  // ---------------------------------------------------------------- clients

  /**
   * A {@link RedisClient} for one {@code rediss://} URI (or {@code rediss-sentinel://}), with its
   * own client resources, shut down with the client.
   *
   * @throws dev.moat.core.PlaintextRefusedException for {@code redis://} to a host the policy does
   *     not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   * @throws IllegalArgumentException when the string is not a Redis URI (the message shows it with
   *     credentials redacted)
   */
  public static RedisClient redisClient(TlsPolicy policy, String uri) {
    return redisClient(policy, parse(uri));
  }

  /**
   * A {@link RedisClient} for this URI, with its own client resources, shut down with the client.
   * The URI object is used as given (not copied), and checked again at every connect.
   *
   * @throws dev.moat.core.PlaintextRefusedException for a URI without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   */
  public static RedisClient redisClient(TlsPolicy policy, RedisURI uri) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(uri, "uri");
    RedisUris.check(policy, uri);
    ClientResources resources = clientResources(policy, null);
    return newRedisClient(policy, resources, true, uri);
  }

  /**
   * A {@link RedisClient} for this URI on shared client resources built by {@link
   * #clientResources(TlsPolicy, String)} or {@link #clientResourcesBuilder(TlsPolicy, String)} for
   * this same policy; they stay the caller's to shut down. Use it to share event loops between
   * clients, and for Sentinel, whose masters are reported by IP address.
   *
   * @throws dev.moat.core.PlaintextRefusedException for a URI without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   * @throws IllegalArgumentException when the resources do not carry this policy's connection
   *     guard and resolver
   */
  public static RedisClient redisClient(
      TlsPolicy policy, ClientResources resources, RedisURI uri) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(uri, "uri");
    requireMoatResources(policy, resources);
    RedisUris.check(policy, uri);
    return newRedisClient(policy, resources, false, uri);
  }

  /**
   * A {@link RedisClusterClient} for these seed URIs. Nodes that the topology reports by IP address
   * are verified against the host of the first seed that is a name (see the class documentation).
   *
   * @throws dev.moat.core.PlaintextRefusedException for a seed without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   * @throws IllegalArgumentException when no seed is given
   */
  public static RedisClusterClient clusterClient(TlsPolicy policy, Iterable<RedisURI> seeds) {
    List<RedisURI> list = checkedSeeds(policy, seeds);
    String nodeHostName = null;
    for (RedisURI seed : list) {
      String host = seed.getHost();
      if (host != null && !NodeNameResolver.isIpLiteral(host)) {
        nodeHostName = host;
        break;
      }
    }
    return newClusterClient(policy, clientResources(policy, nodeHostName), true, list, nodeHostName);
  }

  /**
   * A {@link RedisClusterClient} for these seed URIs whose nodes, when reached by IP address
   * (including seeds given by IP), are verified as {@code nodeHostName}: their certificates must
   * name it and match its pins.
   *
   * @param nodeHostName the DNS name the cluster's certificates carry, such as {@code
   *     redis.example.com}
   * @throws dev.moat.core.PlaintextRefusedException for a seed without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   * @throws IllegalArgumentException when no seed is given, or the name is empty or an IP literal
   */
  public static RedisClusterClient clusterClient(
      TlsPolicy policy, String nodeHostName, Iterable<RedisURI> seeds) {
    String name = checkNodeHostName(nodeHostName);
    List<RedisURI> list = checkedSeeds(policy, seeds);
    return newClusterClient(policy, clientResources(policy, name), true, list, name);
  }

  /**
   * A {@link RedisClusterClient} on shared client resources built by {@link
   * #clientResources(TlsPolicy, String)} or {@link #clientResourcesBuilder(TlsPolicy, String)} for
   * this same policy; they stay the caller's to shut down. IP-addressed nodes are verified as the
   * resources' node host name, or against their IP when it has none.
   *
   * @throws dev.moat.core.PlaintextRefusedException for a seed without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   * @throws IllegalArgumentException when the resources do not carry this policy's connection
   *     guard and resolver
   */
  public static RedisClusterClient clusterClient(
      TlsPolicy policy, ClientResources resources, Iterable<RedisURI> seeds) {
    Objects.requireNonNull(policy, "policy");
    requireMoatResources(policy, resources);
    List<RedisURI> list = checkedSeeds(policy, seeds);
    String name = ((NodeNameResolver) resources.socketAddressResolver()).nodeHostName();
    return newClusterClient(policy, resources, false, list, name);
  }

  // ---------------------------------------------------------------- hooks

  /**
   * Lettuce {@link SslOptions} carrying the policy: JDK provider, the policy's trust manager (named
   * {@code redis} in refusals), its key manager when it has a client identity, its protocols and
   * cipher suites. Host names are checked by the trust manager from the engine's peer host; the
   * SSL parameters leave the endpoint identification algorithm to Lettuce's verify mode, so that
   * the connection guard of {@link #clientResources(TlsPolicy)} can tell FULL from CA and NONE.
   *
   * <p><b>Security:</b> a {@link RedisClient} built by hand with these options still obeys a URI's
   * {@code verifyPeer=NONE} (Lettuce then replaces the trust manager) and still connects {@code
   * redis://}; use the factories of this class, or {@link #clientResources(TlsPolicy)} and {@link
   * #checkUri(TlsPolicy, RedisURI)}, to keep those refused.
   */
  public static SslOptions sslOptions(TlsPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    X509ExtendedTrustManager trustManager = policy.trustManager(PROTOCOL);
    Optional<X509ExtendedKeyManager> keyManager = policy.keyManager();
    String[] protocols = policy.protocols().toArray(new String[0]);
    String[] suites = policy.cipherSuites().toArray(new String[0]);
    return SslOptions.builder()
        .jdkSslProvider()
        .protocols(protocols)
        .cipherSuites(suites)
        .sslContext(
            builder -> {
              builder.trustManager(trustManager);
              keyManager.ifPresent(builder::keyManager);
            })
        .sslParameters(
            () -> {
              SSLParameters parameters = policy.sslParameters();
              // Lettuce sets HTTPS for SslVerifyMode.FULL; left unset here so CA/NONE stay visible.
              parameters.setEndpointIdentificationAlgorithm(null);
              return parameters;
            })
        .build();
  }

  /** Default {@link ClientOptions} with {@link #sslOptions(TlsPolicy)}. */
  public static ClientOptions clientOptions(TlsPolicy policy) {
    return clientOptions(policy, ClientOptions.create());
  }

  /** A copy of {@code options} with {@link #sslOptions(TlsPolicy)}. */
  public static ClientOptions clientOptions(TlsPolicy policy, ClientOptions options) {
    Objects.requireNonNull(options, "options");
    return options.mutate().sslOptions(sslOptions(policy)).build();
  }

  /** Default {@link ClusterClientOptions} with {@link #sslOptions(TlsPolicy)}. */
  public static ClusterClientOptions clusterClientOptions(TlsPolicy policy) {
    return clusterClientOptions(policy, ClusterClientOptions.create());
  }

  /** A copy of {@code options} with {@link #sslOptions(TlsPolicy)}. */
  public static ClusterClientOptions clusterClientOptions(
      TlsPolicy policy, ClusterClientOptions options) {
    Objects.requireNonNull(options, "options");
    return ClusterClientOptions.builder(options).sslOptions(sslOptions(policy)).build();
  }

  /**
   * New client resources with Moat's connection guard: every channel must carry TLS that verifies
   * host names before it may connect (or go to a host the policy exempts from TLS). The caller
   * shuts them down.
   */
  public static ClientResources clientResources(TlsPolicy policy) {
    return clientResources(policy, null);
  }

  /**
   * {@link #clientResources(TlsPolicy)} whose connections to IP addresses are verified as {@code
   * nodeHostName} (see the class documentation); for Sentinel-discovered masters, or a cluster
   * client built by hand.
   *
   * @param nodeHostName the name IP-addressed nodes' certificates carry; null to verify them
   *     against their IP
   */
  public static ClientResources clientResources(TlsPolicy policy, @Nullable String nodeHostName) {
    return clientResourcesBuilder(policy, nodeHostName).build();
  }

  /**
   * A {@link DefaultClientResources.Builder} preset with Moat's connection guard and resolver (see
   * {@link #clientResources(TlsPolicy, String)}), for callers who tune other resources (event loop
   * threads, metrics, reconnect delay). Do not replace its {@code nettyCustomizer} or {@code
   * socketAddressResolver}: the factories of this class refuse resources without them.
   *
   * @param nodeHostName the name IP-addressed nodes' certificates carry; null to verify them
   *     against their IP
   */
  public static DefaultClientResources.Builder clientResourcesBuilder(
      TlsPolicy policy, @Nullable String nodeHostName) {
    Objects.requireNonNull(policy, "policy");
    String name = nodeHostName == null ? null : checkNodeHostName(nodeHostName);
    DefaultClientResources.Builder builder = DefaultClientResources.builder();
    builder.nettyCustomizer(new TlsGuard(policy, new NettyCustomizer() {}));
    builder.socketAddressResolver(
        new NodeNameResolver(policy, SocketAddressResolver.create(DnsResolvers.UNRESOLVED), name));
    return builder;
  }

  /**
   * Checks a URI against the policy, as the factories do, and returns it.
   *
   * @throws dev.moat.core.PlaintextRefusedException for a URI without TLS to a host the policy
   *     does not exempt
   * @throws RedisUriRefusedException for {@code verifyPeer=NONE}, {@code verifyPeer=CA}, {@code
   *     startTls}
   */
  public static RedisURI checkUri(TlsPolicy policy, RedisURI uri) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(uri, "uri");
    RedisUris.check(policy, uri);
    return uri;
  }

  /**
   * The URI for messages and logs: scheme, hosts, ports, database, sentinel master, weak TLS
   * settings; credentials appear as {@code ***@}, never in clear.
   */
  public static String redact(RedisURI uri) {
    return RedisUris.redact(Objects.requireNonNull(uri, "uri"));
  }

  // ---------------------------------------------------------------- internals

  private static RedisURI parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    RedisURI parsed;
    try {
      parsed = RedisURI.create(uri);
    } catch (RuntimeException e) {
      // Lettuce's message may quote the URI, password included: keep neither message nor cause.
      throw new IllegalArgumentException(
          "not a Redis URI: " + RedisUris.redact(uri)
              + " (expected rediss://[[user]:password@]host[:port][/database])");
    }
    RedisUris.requireSaneHost(parsed, uri);
    return parsed;
  }

  private static List<RedisURI> checkedSeeds(TlsPolicy policy, Iterable<RedisURI> seeds) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(seeds, "seeds");
    List<RedisURI> list = new ArrayList<>();
    for (RedisURI seed : seeds) {
      RedisUris.check(policy, Objects.requireNonNull(seed, "seed"));
      list.add(seed);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("seeds is empty; give at least one rediss:// seed URI");
    }
    return list;
  }

  private static String checkNodeHostName(String nodeHostName) {
    Objects.requireNonNull(nodeHostName, "nodeHostName");
    if (nodeHostName.isBlank() || NodeNameResolver.isIpLiteral(nodeHostName)
        || nodeHostName.contains("*")) {
      throw new IllegalArgumentException(
          "nodeHostName '" + nodeHostName + "' must be a DNS name the nodes' certificates carry,"
              + " such as redis.example.com (not empty, not an IP address, no wildcard)");
    }
    return nodeHostName;
  }

  private static void requireMoatResources(TlsPolicy policy, ClientResources resources) {
    Objects.requireNonNull(resources, "resources");
    boolean guarded = TlsGuard.isGuard(resources.nettyCustomizer(), policy);
    boolean resolver =
        resources.socketAddressResolver() instanceof NodeNameResolver
            && ((NodeNameResolver) resources.socketAddressResolver()).isFor(policy);
    if (!guarded || !resolver) {
      throw new IllegalArgumentException(
          "resources must come from LettuceTls.clientResources(policy, nodeHostName) or"
              + " LettuceTls.clientResourcesBuilder(policy, nodeHostName) for this same policy"
              + " (missing: " + (guarded ? "" : "connection guard ")
              + (resolver ? "" : "node resolver") + ")");
    }
  }

  private static RedisClient newRedisClient(
      TlsPolicy policy, ClientResources resources, boolean owns, RedisURI uri) {
    LOG.log(Level.DEBUG, () -> "Lettuce client for " + RedisUris.redact(uri) + " under " + policy);
    return new MoatRedisClient(policy, sslOptions(policy), resources, owns, uri);
  }

  private static RedisClusterClient newClusterClient(
      TlsPolicy policy,
      ClientResources resources,
      boolean owns,
      List<RedisURI> seeds,
      @Nullable String nodeHostName) {
    LOG.log(
        Level.DEBUG,
        () -> "Lettuce cluster client for " + seeds.size() + " seed(s), IP-addressed nodes verified as "
            + (nodeHostName == null ? "their IP" : nodeHostName));
    return new MoatRedisClusterClient(policy, sslOptions(policy), resources, owns, seeds,
        nodeHostName);
  }
}
