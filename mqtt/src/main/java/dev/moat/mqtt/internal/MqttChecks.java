package dev.moat.mqtt.internal;

import dev.moat.core.Check;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import java.io.EOFException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The checks PahoTls runs when a client is built and again each time it connects (reconnects
 * included): the server URIs, the socket factory, host-name verification and credentials.
 */
public final class MqttChecks {
  /** The protocol name Moat's refusals carry. */
  public static final String PROTOCOL = "mqtt";

  private MqttChecks() {}

  /**
   * What the checks need to know of a v3 {@code MqttConnectOptions} or a v5 {@code
   * MqttConnectionOptions}.
   *
   * @param optionsType the Paho class name, for messages
   * @param serverUris the URIs the client will try, in order
   * @param clientId the client id, for messages
   * @param socketFactory the options' socket factory
   * @param httpsHostnameVerification the options' host-name verification flag
   * @param sslProperties whether the options carry Paho SSL properties
   * @param credentials whether the options carry a user name, password or authentication data
   */
  public record Settings(
      String optionsType,
      List<String> serverUris,
      String clientId,
      @Nullable SocketFactory socketFactory,
      boolean httpsHostnameVerification,
      boolean sslProperties,
      boolean credentials) {
    public Settings {
      Objects.requireNonNull(optionsType, "optionsType");
      serverUris = List.copyOf(serverUris);
      Objects.requireNonNull(clientId, "clientId");
    }

    /** The PahoTls call that makes these options, for messages. */
    String pahoTlsCall() {
      return optionsType.equals("MqttConnectionOptions")
          ? "PahoTls.connectionOptions(policy)"
          : "PahoTls.connectOptions(policy)";
    }
  }

  /** A server URI taken apart; never holds the URI's user info. */
  public record Endpoint(String scheme, String host, int port, String path) {
    /** True for {@code ssl://} and {@code wss://}. */
    public boolean tls() {
      return scheme.equals("ssl") || scheme.equals("wss");
    }

    /** The URI as messages show it: scheme, host, port and path, without user info. */
    public String display() {
      return scheme + "://" + hostForUri() + (port == -1 ? "" : ":" + port) + path;
    }

    /** The TLS URI a user should connect to instead of this plaintext one. */
    String tlsForm() {
      if (scheme.equals("ws")) {
        return "wss://" + hostForUri() + (port == -1 || port == 80 ? "" : ":" + port) + path;
      }
      return "ssl://" + hostForUri() + ":" + (port == -1 || port == 1883 ? 8883 : port);
    }

    private String hostForUri() {
      return host.contains(":") ? "[" + host + "]" : host;
    }
  }

  /**
   * Parses an MQTT server URI as Paho does.
   *
   * @throws IllegalArgumentException when the URI cannot be parsed or has no host
   */
  public static Endpoint parse(String uri, String clientId) {
    Objects.requireNonNull(uri, "serverUri");
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Refused MQTT server URI for client id "
              + quote(clientId)
              + ": it is not a valid URI ("
              + e.getReason()
              + "). Use ssl://host:8883 or wss://host/path.",
          e);
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    String host = parsed.getHost();
    int port = parsed.getPort();
    if (host == null && parsed.getRawAuthority() != null) {
      // Paho accepts host names the URI class rejects (underscores): take the authority apart.
      String authority = parsed.getRawAuthority();
      int at = authority.lastIndexOf('@');
      authority = authority.substring(at + 1);
      int colon = authority.lastIndexOf(':');
      if (colon > 0 && authority.indexOf(']') < colon) {
        try {
          port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
        authority = authority.substring(0, colon);
      }
      host = authority;
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "Refused MQTT server URI for client id "
              + quote(clientId)
              + ": it names no host. Use ssl://host:8883 or wss://host/path.");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
    return new Endpoint(scheme, host, port, path);
  }

  /**
   * Checks a server URI on its own, when a client is built: TLS schemes pass, plaintext ones only
   * for a host the policy exempts.
   *
   * @throws PlaintextRefusedException for {@code tcp://} and {@code ws://} to a host without an
   *     exemption
   * @throws IllegalArgumentException for a scheme other than ssl, wss, tcp and ws
   */
  public static Endpoint checkUri(TlsPolicy policy, String uri, String clientId) {
    Endpoint endpoint = parse(uri, clientId);
    switch (endpoint.scheme()) {
      case "ssl":
      case "wss":
        return endpoint;
      case "tcp":
      case "ws":
        if (!policy.allowsPlaintextTo(endpoint.host())) {
          throw new PlaintextRefusedException(
              endpoint.host(),
              PROTOCOL,
              "Refused plaintext MQTT connection to "
                  + endpoint.display()
                  + " (client id "
                  + quote(clientId)
                  + ") [check: PLAINTEXT]\n"
                  + "  Nothing was sent: the policy allows only TLS, and "
                  + endpoint.scheme()
                  + ":// would carry every message, and any password, in clear.\n"
                  + "  Use the TLS form of the URI: "
                  + endpoint.tlsForm()
                  + (endpoint.scheme().equals("tcp") ? " (or wss:// for WebSockets)" : "")
                  + ".\n"
                  + "  If this broker really cannot speak TLS (a local development broker),"
                  + " exempt its host by name:\n"
                  + "    TlsPolicy.builder().insecureAllowPlaintextTo("
                  + quote(endpoint.host())
                  + ", \"why this is acceptable\")");
        }
        return endpoint;
      default:
        throw new IllegalArgumentException(
            "Refused MQTT server URI "
                + endpoint.display()
                + " (client id "
                + quote(clientId)
                + "): the scheme '"
                + endpoint.scheme()
                + "' is not one Moat can secure. Use ssl://host:8883 or wss://host/path.");
    }
  }

  /**
   * Runs every check on options about to be used for a connection.
   *
   * @throws PlaintextRefusedException for a plaintext URI without exemption, or credentials on a
   *     plaintext connection
   * @throws IllegalArgumentException when the options' socket factory, host-name verification or
   *     SSL properties were changed from what PahoTls set
   */
  public static void check(TlsPolicy policy, Settings s) {
    boolean anyTls = false;
    @Nullable Endpoint firstPlain = null;
    @Nullable Endpoint firstTls = null;
    for (String uri : s.serverUris()) {
      Endpoint endpoint = checkUri(policy, uri, s.clientId());
      if (endpoint.tls()) {
        anyTls = true;
        if (firstTls == null) {
          firstTls = endpoint;
        }
      } else {
        if (firstPlain == null) {
          firstPlain = endpoint;
        }
        if (s.credentials()) {
          throw new PlaintextRefusedException(
              endpoint.host(),
              PROTOCOL,
              "Refused MQTT connection to "
                  + endpoint.display()
                  + " (client id "
                  + quote(s.clientId())
                  + ") [check: PLAINTEXT]\n"
                  + "  The "
                  + s.optionsType()
                  + " carry a user name, password or authentication data, and this connection"
                  + " is not TLS: the broker's network would see them in clear. Nothing was"
                  + " sent.\n"
                  + "  Use "
                  + endpoint.tlsForm()
                  + " with PahoTls options; the plaintext exemption for "
                  + quote(endpoint.host())
                  + " covers connections without credentials only.");
        }
      }
    }
    SocketFactory factory = s.socketFactory();
    if (firstPlain != null && factory instanceof SSLSocketFactory) {
      throw refused(
          s,
          firstPlain,
          "the "
              + s.optionsType()
              + " carry a TLS socket factory, but "
              + firstPlain.display()
              + " is a plaintext URI (its host is exempted by the policy), and Paho cannot"
              + " use a TLS factory for it.",
          "for the exempted plaintext broker use options without a socket factory (new "
              + s.optionsType()
              + "()) and without credentials; do not mix TLS and plaintext URIs in one"
              + " options object.");
    }
    if (!anyTls) {
      return;
    }
    if (!(factory instanceof MqttSocketFactory)) {
      String what =
          factory == null
              ? "carry no socket factory, so Paho would fall back to its own TLS settings (SSL"
                  + " properties or the JVM's defaults)"
              : "carry a socket factory that PahoTls did not make ("
                  + factory.getClass().getName()
                  + ")";
      throw refused(
          s,
          firstTls,
          "the " + s.optionsType() + " " + what + ", so Moat would not check the broker.",
          "start from "
              + s.pahoTlsCall()
              + " and do not call setSocketFactory(...) afterwards; trust"
              + " roots, pins and the client certificate belong in the TlsPolicy"
              + " (trustRoot, pin, clientIdentity).");
    }
    if (((MqttSocketFactory) factory).policy() != policy) {
      throw refused(
          s,
          firstTls,
          "the "
              + s.optionsType()
              + " carry a PahoTls socket factory made for a different TlsPolicy than this"
              + " client's.",
          "build the options from the very policy object the client was built with: "
              + s.pahoTlsCall()
              + ".");
    }
    if (!s.httpsHostnameVerification()) {
      throw refused(
          s,
          firstTls,
          "the "
              + s.optionsType()
              + " have host-name verification turned off"
              + " (setHttpsHostnameVerificationEnabled(false)).",
          "remove that call. Moat checks the broker's name against its certificate on every"
              + " connection; to reach a broker whose certificate names another host, connect"
              + " by a name the certificate carries.");
    }
    if (s.sslProperties()) {
      throw refused(
          s,
          firstTls,
          "the "
              + s.optionsType()
              + " carry SSL properties (setSSLProperties), which Paho ignores when a socket"
              + " factory is set; Moat refuses them rather than ignore them silently.",
          "remove setSSLProperties(...); put trust roots and the client certificate in the"
              + " TlsPolicy (trustRoot, clientIdentity).");
    }
  }

  /** See {@code PahoTls.explain}. */
  public static Optional<TlsRefusalException> explain(Throwable failure, Endpoint endpoint) {
    int defaultPort = endpoint.scheme().equals("wss") ? 443 : 8883;
    int port = endpoint.port() != -1 ? endpoint.port() : defaultPort;
    Optional<TlsRefusalException> known =
        TlsRefusals.explain(failure, endpoint.host(), port, PROTOCOL);
    if (known.isPresent()) {
      return known;
    }
    int depth = 0;
    for (Throwable c = failure; c != null && depth < 32; c = c.getCause(), depth++) {
      if (c instanceof SSLHandshakeException
          && (c.getCause() instanceof EOFException
              || String.valueOf(c.getMessage()).contains("Remote host terminated the handshake"))) {
        return Optional.of(
            new TlsRefusalException(
                Check.PLAINTEXT,
                endpoint.host(),
                port,
                PROTOCOL,
                List.of(),
                "The broker closed the connection in answer to the TLS ClientHello, without a"
                    + " TLS reply: this port most likely speaks plain MQTT (tcp://).",
                List.of("URI: " + endpoint.display(), "JDK says: " + c.getMessage()),
                "Connect to the broker's TLS listener (usually port 8883), or enable TLS on"
                    + " this listener.",
                failure));
      }
    }
    return Optional.empty();
  }

  private static IllegalArgumentException refused(
      Settings s, Endpoint endpoint, String reason, String fix) {
    return new IllegalArgumentException(
        "Refused MQTT connection to "
            + endpoint.display()
            + " (client id "
            + quote(s.clientId())
            + "): "
            + reason
            + " Nothing was sent.\n  Fix: "
            + fix);
  }

  /** A value quoted for a message: control characters escaped, at most 100 characters shown. */
  public static String quote(String value) {
    StringBuilder b = new StringBuilder("\"");
    int shown = 0;
    for (int i = 0; i < value.length() && shown < 100; i++, shown++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (value.length() > 100) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
