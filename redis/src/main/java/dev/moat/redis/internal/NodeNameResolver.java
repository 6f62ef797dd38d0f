package dev.moat.redis.internal;

import dev.moat.core.TlsPolicy;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.SocketAddressResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Resolves Redis URIs through a delegate, and gives addresses that are IP literals the node host
 * name configured for the deployment: the socket still connects to the IP, but {@link
 * InetSocketAddress#getHostString()} is the name, and that is the host Lettuce passes to {@code
 * SslContext.newEngine(alloc, host, port)}, so Moat's trust manager (which reads {@code
 * SSLEngine.getPeerHost()}) verifies the node's certificate, and its pins, against that name.
 *
 * <p>Also refuses a TLS URI whose verify mode is not FULL; plaintext is left to {@link TlsGuard},
 * since Lettuce resolves Sentinel-reported masters through plain {@code RedisURI.create(host,
 * port)} objects.
 */
public final class NodeNameResolver extends SocketAddressResolver {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?");

  private final TlsPolicy policy;
  private final SocketAddressResolver delegate;
  private final @Nullable String nodeHostName;

  public NodeNameResolver(
      TlsPolicy policy, SocketAddressResolver delegate, @Nullable String nodeHostName) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.nodeHostName = nodeHostName;
  }

  /** Whether this resolver checks URIs for exactly this policy. */
  public boolean isFor(TlsPolicy policy) {
    return this.policy == policy;
  }

  /** The name IP-addressed nodes are verified as, if one was configured. */
  public @Nullable String nodeHostName() {
    return nodeHostName;
  }

  @Override
  public SocketAddress resolve(RedisURI redisURI) {
    if (redisURI.isSsl()) {
      RedisUris.check(policy, redisURI);
    }
    SocketAddress resolved = delegate.resolve(redisURI);
    String host = redisURI.getHost();
    if (nodeHostName == null || redisURI.getSocket() != null || host == null || !isIpLiteral(host)) {
      return resolved;
    }
    try {
      // A literal is parsed, never looked up; the name only labels the address for TLS.
      InetAddress literal = InetAddress.getByName(host);
      return new InetSocketAddress(
          InetAddress.getByAddress(nodeHostName, literal.getAddress()), redisURI.getPort());
    } catch (UnknownHostException e) {
      return resolved;
    }
  }

  /** Whether the host is an IPv4 or IPv6 literal (with or without brackets). */
  public static boolean isIpLiteral(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (IPV4.matcher(h).matches()) {
      return true;
    }
    return h.indexOf(':') >= 0 && IPV6.matcher(h.toLowerCase(Locale.ROOT)).matches();
  }
}
