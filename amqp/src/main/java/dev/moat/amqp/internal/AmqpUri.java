package dev.moat.amqp.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code amqps://[user[:password]@]host[:port]} or {@code amqp://...} URI. {@link
 * #toString()} and {@link #redacted()} never show the password.
 */
public final class AmqpUri {
  /** The IANA port for AMQP over TLS. */
  public static final int AMQPS_PORT = 5671;
  /** The IANA port for plaintext AMQP. */
  public static final int AMQP_PORT = 5672;

  private final boolean tls;
  private final String host;
  private final int port;
  private final @Nullable String user;
  private final char @Nullable [] password;
  private final String redacted;

  private AmqpUri(
      boolean tls, String host, int port, @Nullable String user, char @Nullable [] password) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    String userPart = user == null ? "" : user + (password == null ? "" : ":***") + "@";
    this.redacted = (tls ? "amqps" : "amqp") + "://" + userPart + hostPart + ":" + port;
  }

  /**
   * Parses {@code uri}.
   *
   * @throws IllegalArgumentException when it is not an {@code amqps:} or {@code amqp:} URI with a
   *     host; the message shows the URI with any password replaced by {@code ***}
   */
  public static AmqpUri parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    URI parsed;
    try {
      parsed = new URI(uri.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URI: " + redact(uri) + " (" + e.getReason() + "); expected amqps://host:5671");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    boolean tls;
    if (scheme.equals("amqps")) {
      tls = true;
    } else if (scheme.equals("amqp")) {
      tls = false;
    } else {
      throw new IllegalArgumentException(
          "unsupported scheme in " + redact(uri) + ": expected amqps://host:5671");
    }
    String host = parsed.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "no host in " + redact(uri) + ": expected amqps://host:5671");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if ((parsed.getPath() != null && !parsed.getPath().isEmpty() && !parsed.getPath().equals("/"))
        || parsed.getQuery() != null
        || parsed.getFragment() != null) {
      throw new IllegalArgumentException(
          "unexpected path, query or fragment in " + redact(uri)
              + ": give the address to send() and receive(), not in the URI");
    }
    int port = parsed.getPort() == -1 ? (tls ? AMQPS_PORT : AMQP_PORT) : parsed.getPort();
    String user = null;
    char[] password = null;
    String userInfo = parsed.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
      user = URLDecoder.decode(rawUser, StandardCharsets.UTF_8);
      if (colon >= 0) {
        password =
            URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8).toCharArray();
      }
    }
    return new AmqpUri(tls, host, port, user, password);
  }

  /** {@code uri} with the password of its user information replaced by {@code ***}. */
  public static String redact(String uri) {
    int scheme = uri.indexOf("://");
    int at = uri.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return uri;
    }
    String userInfo = uri.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      return uri;
    }
    return uri.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + uri.substring(at);
  }

  /** True for {@code amqps:}. */
  public boolean tls() {
    return tls;
  }

  /** The host, without IPv6 brackets. */
  public String host() {
    return host;
  }

  /** The port; 5671 for {@code amqps:} and 5672 for {@code amqp:} when the URI names none. */
  public int port() {
    return port;
  }

  /** The user of the URI's user information, if any. */
  public @Nullable String user() {
    return user;
  }

  /** A copy of the password of the URI's user information, if any. */
  public char @Nullable [] password() {
    return password == null ? null : password.clone();
  }

  /** The URI for messages: scheme, user, {@code ***} for the password, host and port. */
  public String redacted() {
    return redacted;
  }

  @Override
  public String toString() {
    return redacted;
  }
}
