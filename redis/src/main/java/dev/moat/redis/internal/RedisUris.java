package dev.moat.redis.internal;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.redis.RedisUriRefusedException;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.SslVerifyMode;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Checks and prints Redis URIs without ever showing credentials. */
public final class RedisUris {
  /** The application protocol named in refusal messages. */
  public static final String PROTOCOL = "redis";

  private RedisUris() {}

  /**
   * The URI as {@code rediss://host:port/db}, {@code redis-sentinel://h1:p1,h2:p2/db#master}; when
   * the URI carries credentials they are shown as {@code ***@}, never resolved or printed.
   */
  public static String redact(RedisURI uri) {
    StringBuilder out = new StringBuilder();
    boolean sentinel = isSentinel(uri);
    if (uri.getSocket() != null) {
      out.append(uri.isSsl() ? "rediss-socket://" : "redis-socket://");
    } else if (sentinel) {
      out.append(uri.isSsl() ? "rediss-sentinel://" : "redis-sentinel://");
    } else {
      out.append(uri.isSsl() ? "rediss://" : "redis://");
    }
    if (hasCredentials(uri)) {
      out.append("***@");
    }
    if (uri.getSocket() != null) {
      out.append(uri.getSocket());
    } else if (sentinel) {
      out.append(
          uri.getSentinels().stream()
              .map(s -> hostPort(s.getHost(), s.getPort()))
              .collect(Collectors.joining(",")));
    } else {
      out.append(hostPort(uri.getHost(), uri.getPort()));
    }
    if (uri.getDatabase() != 0) {
      out.append('/').append(uri.getDatabase());
    }
    if (sentinel) {
      out.append('#').append(uri.getSentinelMasterId());
    }
    if (uri.isSsl() && uri.getVerifyMode() != SslVerifyMode.FULL) {
      out.append("?verifyPeer=").append(uri.getVerifyMode());
    }
    if (uri.isStartTls()) {
      out.append(uri.isSsl() && uri.getVerifyMode() != SslVerifyMode.FULL ? '&' : '?');
      out.append("startTls=true");
    }
    return out.toString();
  }

  /**
   * A URI string with any user info replaced by {@code ***@}, for messages about bad input. A
   * password may contain {@code /}, {@code ?} or {@code #} (base64 access keys do), so everything
   * from the scheme's {@code //} up to the last {@code @} is hidden: this may hide more than the
   * user info, never less.
   */
  public static String redact(String uri) {
    int at = uri.lastIndexOf('@');
    if (at < 0) {
      return uri;
    }
    // With or without "//" (a typo such as "rediss:/user:pass@host" must not leak either):
    // everything after the scheme up to the last '@' is hidden.
    int colon = uri.indexOf(':');
    int start = colon >= 0 && colon < at ? colon + 1 : 0;
    while (start < at && uri.charAt(start) == '/') {
      start++;
    }
    return uri.substring(0, start) + "***@" + uri.substring(at + 1);
  }

  /**
   * Refuses a parsed URI whose host looks like a piece of user info: a password with an unencoded
   * {@code #}, {@code ?} or {@code /} makes Lettuce read part of it as the host.
   */
  public static void requireSaneHost(RedisURI parsed, String original) {
    String host = parsed.getHost();
    int at = original.lastIndexOf('@');
    boolean hostBeforeUserInfo = host != null && at >= 0 && !original.substring(at + 1).contains(host)
        && !original.substring(at + 1).toLowerCase(java.util.Locale.ROOT).contains(host.toLowerCase(java.util.Locale.ROOT));
    if (hostBeforeUserInfo
        || (host != null && host.indexOf(':') >= 0 && !dev.moat.core.internal.HostNames.isIpLiteral(host))) {
      throw new IllegalArgumentException(
          "not a Redis URI: " + redact(original) + " (the host does not parse; percent-encode "
              + "'#', '?', '/' and '@' in the user name and password)");
    }
  }

  /**
   * Refuses a URI that is not TLS with {@link SslVerifyMode#FULL}: plaintext unless the policy
   * exempts its host, {@code verifyPeer} NONE or CA, {@code startTls}. Sentinel URIs are checked
   * for the sentinels and the master connection alike.
   *
   * @throws dev.moat.core.PlaintextRefusedException for plaintext to a host without an exemption
   * @throws RedisUriRefusedException for NONE, CA or startTls
   */
  public static void check(TlsPolicy policy, RedisURI uri) {
    String shown = redact(uri);
    if (uri.getSocket() != null) {
      // A Unix domain socket carries no TLS in Lettuce; only an explicit exemption for localhost allows it.
      policy.requireTls(PROTOCOL, shown, "localhost");
      return;
    }
    if (isSentinel(uri)) {
      for (RedisURI sentinel : uri.getSentinels()) {
        checkOne(policy, sentinel, shown, sentinel.getHost());
      }
      // The master is only known after discovery: the connection guard checks its address.
      checkOne(policy, uri, shown, firstHost(uri.getSentinels()));
      return;
    }
    checkOne(policy, uri, shown, uri.getHost());
  }

  private static void checkOne(TlsPolicy policy, RedisURI uri, String shown, @Nullable String host) {
    String target = host == null ? "" : host;
    if (!uri.isSsl()) {
      policy.requireTls(PROTOCOL, shown, target);
      return;
    }
    if (uri.isStartTls()) {
      throw new RedisUriRefusedException(Check.PLAINTEXT, shown, startTlsMessage(shown));
    }
    SslVerifyMode mode = uri.getVerifyMode();
    if (mode != SslVerifyMode.FULL) {
      throw new RedisUriRefusedException(
          mode == SslVerifyMode.CA ? Check.HOSTNAME : Check.TRUST_PATH,
          shown,
          verifyModeMessage(shown, String.valueOf(mode), target));
    }
  }

  /** The refusal for a URI whose verify mode is not FULL. */
  public static String verifyModeMessage(String shown, String mode, String host) {
    String what =
        "CA".equals(mode)
            ? "SslVerifyMode.CA accepts a certificate issued for any host name by a trusted CA."
            : "SslVerifyMode." + mode + " accepts any certificate from anyone.";
    String check = "CA".equals(mode) ? "HOSTNAME" : "TRUST_PATH";
    return "Refused " + PROTOCOL + " connection to " + shown + " [check: " + check + "]\n  "
        + what + " Moat allows only SslVerifyMode.FULL; nothing was sent.\n"
        + "  Remove verifyPeer (FULL is Lettuce's default for rediss://) or set"
        + " RedisURI.setVerifyPeer(SslVerifyMode.FULL).\n"
        + "  If the certificate does not name " + (host.isEmpty() ? "the host" : host)
        + ", connect by a name it carries, or, for nodes reached by IP address, give LettuceTls the"
        + " name their certificates carry (LettuceTls.clientResources(policy, \"redis.example.com\"))."
        + "\n  A private CA is trusted with TlsPolicy.builder().trustRootFor(\""
        + (host.isEmpty() ? "redis.example.com" : host) + "\", root).";
  }

  private static String startTlsMessage(String shown) {
    return "Refused " + PROTOCOL + " connection to " + shown + " [check: PLAINTEXT]\n"
        + "  startTls=true sends the first command (HELLO / AUTH, with the password) before TLS"
        + " starts; nothing was sent.\n"
        + "  Redis speaks TLS from the first byte: remove startTls from the URI.";
  }

  /** True when the URI carries a user name or password, or a provider that may supply them. */
  private static boolean hasCredentials(RedisURI uri) {
    RedisCredentialsProvider provider = uri.getCredentialsProvider();
    if (provider == null) {
      return false;
    }
    if (provider instanceof StaticCredentialsProvider) {
      RedisCredentials credentials = ((StaticCredentialsProvider) provider).resolveCredentialsNow();
      return credentials != null && (credentials.hasUsername() || credentials.hasPassword());
    }
    return true;
  }

  /** Whether the URI names sentinels and a master id. */
  public static boolean isSentinel(RedisURI uri) {
    return uri.getSentinelMasterId() != null && !uri.getSentinels().isEmpty();
  }

  private static @Nullable String firstHost(List<RedisURI> uris) {
    for (RedisURI u : uris) {
      if (u.getHost() != null) {
        return u.getHost();
      }
    }
    return null;
  }

  private static String hostPort(@Nullable String host, int port) {
    String h = host == null ? "" : host;
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }
}
