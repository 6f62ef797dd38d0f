package dev.moat.amqp;

import dev.moat.amqp.internal.AmqpUri;
import dev.moat.amqp.internal.HandshakeRecord;
import dev.moat.amqp.internal.PolicySslContext;
import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SslDomain;
import org.apache.qpid.proton.engine.SslPeerDetails;
import org.apache.qpid.proton.engine.Transport;

/**
 * Qpid Proton-J over TLS that a {@link TlsPolicy} verifies: a configured {@link Transport} for
 * users who drive Proton-J with their own I/O, and a small blocking {@link AmqpClient} for those who
 * do not.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().trustRoot(brokerCa).build();
 *
 * // Blocking client: connect, send, receive, close.
 * try (AmqpClient client = ProtonTls.connect(policy, "amqps://broker.example.com:5671",
 *     AmqpSasl.plain("device-17", password))) {
 *   client.send("telemetry", "hello");
 *   Optional<Message> reply = client.receive("commands", Duration.ofSeconds(5));
 * }
 *
 * // Your own I/O: bind a Connection to this transport and move bytes between it and a socket.
 * Transport transport = ProtonTls.transport(policy, "amqps://broker.example.com:5671", AmqpSasl.external());
 * }</pre>
 *
 * <p>What a transport from here does: SASL is layered <em>under</em> TLS (Proton-J wraps layers in
 * the order they are added, so a transport that adds TLS first writes its SASL frames, the password
 * included, in clear into the TLS port); TLS uses {@code policy.sslContext("amqp")} with the policy's
 * protocols and cipher suites; the engine is created with the target's host and port ({@link
 * SslPeerDetails}) so the policy's trust manager checks the certificate against that host, and
 * Proton-J's {@code VERIFY_PEER_NAME} is on as well.
 *
 * <p>Refused before any connection is made, with a message that names the URI (password shown as
 * {@code ***}) and the fix: {@code amqp://} (a {@link PlaintextRefusedException}, unless the policy
 * exempts the host with {@link TlsPolicy.Builder#insecureAllowPlaintextTo}); SASL {@code PLAIN} or
 * {@code EXTERNAL} without TLS (always, exemption or not); SASL {@code EXTERNAL} without a client
 * identity in the policy; and a Proton-J {@link SslDomain} whose verification a caller turned off.
 *
 * <p><b>Security:</b> a host exempted from TLS by the policy gets a plaintext transport: everything
 * on it, message bodies included, travels in clear, and only SASL {@code ANONYMOUS} is allowed.
 */
public final class ProtonTls {
  /** The protocol name Moat uses in refusal messages: {@code amqp}. */
  public static final String PROTOCOL = "amqp";

  /** The timeout {@link #connect(TlsPolicy, String, AmqpSasl)} uses for every wait. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private static final String RECORD_KEY = "dev.moat.amqp.handshake";

  private ProtonTls() {}

  /**
   * A client {@link SslDomain} for one transport: the policy's context, protocols and cipher
   * suites, and {@code VERIFY_PEER_NAME}. Use a new domain for each transport, and pass it to
   * {@link Transport#ssl(SslDomain, SslPeerDetails)} together with {@link #peerDetails}.
   */
  public static SslDomain sslDomain(TlsPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    SslDomain domain = SslDomain.Factory.create();
    domain.init(SslDomain.Mode.CLIENT);
    domain.setPeerAuthentication(SslDomain.VerifyMode.VERIFY_PEER_NAME);
    domain.setSslContext(
        new PolicySslContext(
            policy.sslContext(PROTOCOL), policy.sslParameters(), new HandshakeRecord()));
    return domain;
  }

  /** The host and port Proton-J creates the TLS engine with; the host is what gets verified. */
  public static SslPeerDetails peerDetails(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty; the certificate is checked against it");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 1 to 65535");
    }
    return SslPeerDetails.Factory.create(host, port);
  }

  /**
   * A transport for {@code uri}, authenticating as its user information says: SASL PLAIN with the
   * URI's user and password, else ANONYMOUS.
   *
   * @throws PlaintextRefusedException for {@code amqp://} to a host the policy does not exempt
   * @throws IllegalArgumentException for a malformed URI or a refused SASL choice
   */
  public static Transport transport(TlsPolicy policy, String uri) {
    AmqpUri parsed = AmqpUri.parse(uri);
    return transport(policy, parsed, saslFromUri(parsed), sslDomain(policy));
  }

  /**
   * A transport for {@code amqps://host:port}: SASL with {@code sasl}, bound before TLS; TLS with
   * the policy. Bind a {@link org.apache.qpid.proton.engine.Connection} to it and move its bytes to
   * and from a socket connected to the URI's host and port.
   *
   * @throws PlaintextRefusedException for {@code amqp://} to a host the policy does not exempt
   * @throws IllegalArgumentException for a malformed URI, a URI with credentials (give them to
   *     {@link AmqpSasl#plain}), SASL PLAIN or EXTERNAL without TLS, or EXTERNAL without a client
   *     identity in the policy
   */
  public static Transport transport(TlsPolicy policy, String uri, AmqpSasl sasl) {
    AmqpUri parsed = AmqpUri.parse(uri);
    requireNoUserInfo(parsed, sasl);
    return transport(policy, parsed, sasl, sslDomain(policy));
  }

  /**
   * {@link #transport(TlsPolicy, String, AmqpSasl)} with a domain from {@link #sslDomain}, after
   * checking that nobody turned its verification off since.
   *
   * @throws IllegalArgumentException also when the domain is not a verifying Moat client domain
   *     (see {@link #requireVerifiedTls})
   */
  public static Transport transport(
      TlsPolicy policy, String uri, AmqpSasl sasl, SslDomain domain) {
    AmqpUri parsed = AmqpUri.parse(uri);
    requireNoUserInfo(parsed, sasl);
    requireVerifiedTls(domain, parsed.redacted());
    return transport(policy, parsed, sasl, domain);
  }

  /**
   * Refuses a Proton-J {@link SslDomain} that would not verify the broker the way the policy says:
   * a server-mode domain, peer authentication other than {@code VERIFY_PEER_NAME} ({@code
   * ANONYMOUS_PEER} trusts any certificate and allows anonymous cipher suites; {@code VERIFY_PEER}
   * skips the host name), unsecured clients allowed, or a domain whose {@link SSLContext} is not the
   * one {@link #sslDomain} put there (Proton-J would then build trust from PEM files, or the
   * caller's context would decide, bypassing the policy).
   *
   * @param uriForMessage the endpoint to name in the message, credentials already removed
   * @throws IllegalArgumentException naming the setting, the URI and the fix
   */
  public static void requireVerifiedTls(SslDomain domain, String uriForMessage) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(uriForMessage, "uriForMessage");
    String where = AmqpUri.redact(uriForMessage);
    String fix = "\n  Use ProtonTls.sslDomain(policy) unchanged; to trust another CA or pin a key,"
        + " change the TlsPolicy instead.";
    if (domain.getMode() != SslDomain.Mode.CLIENT) {
      throw new IllegalArgumentException(
          "Refused TLS for " + where + ": the SslDomain is in mode " + domain.getMode()
              + ", not CLIENT." + fix);
    }
    if (domain.getPeerAuthentication() != SslDomain.VerifyMode.VERIFY_PEER_NAME) {
      throw new IllegalArgumentException(
          "Refused TLS for " + where + ": the SslDomain's peer authentication is "
              + domain.getPeerAuthentication() + ", which "
              + (domain.getPeerAuthentication() == SslDomain.VerifyMode.ANONYMOUS_PEER
                  ? "accepts any certificate and anonymous cipher suites"
                  : "does not check the broker's host name")
              + "; Moat requires VERIFY_PEER_NAME." + fix);
    }
    if (domain.allowUnsecuredClient()) {
      throw new IllegalArgumentException(
          "Refused TLS for " + where + ": the SslDomain allows unsecured clients." + fix);
    }
    if (!(domain.getSslContext() instanceof PolicySslContext)) {
      throw new IllegalArgumentException(
          "Refused TLS for " + where + ": the SslDomain's SSLContext is "
              + (domain.getSslContext() == null
                  ? "unset, so Proton-J would build its own trust from PEM files"
                  : "not the TlsPolicy's, so the policy would not decide whom to trust")
              + "." + fix);
    }
  }

  /**
   * The TLS failure of a transport made here, as the JDK's engine threw it. Proton-J logs and drops
   * the exception when it happens while writing (where the JDK reports most certificate refusals);
   * look here, or use {@link dev.moat.core.TlsRefusals#find} on the returned exception.
   */
  public static Optional<SSLException> tlsFailure(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    HandshakeRecord record = transport.attachments().get(RECORD_KEY, HandshakeRecord.class);
    return record == null ? Optional.empty() : record.failure();
  }

  /**
   * Whether the TLS handshake of a transport made here has finished; empty for a transport without
   * TLS (or not made here).
   */
  public static Optional<Boolean> handshakeFinished(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    HandshakeRecord record = transport.attachments().get(RECORD_KEY, HandshakeRecord.class);
    return record == null ? Optional.empty() : Optional.of(record.isFinished());
  }

  /**
   * Connects a blocking client to {@code uri}, authenticating as its user information says (SASL
   * PLAIN with the URI's user and password, else ANONYMOUS), waiting at most {@link
   * #DEFAULT_TIMEOUT} for each step.
   *
   * @throws AmqpException when the connection, TLS (see {@link dev.moat.core.TlsRefusals#find}),
   *     SASL or the AMQP open fails, or a step times out
   */
  public static AmqpClient connect(TlsPolicy policy, String uri) throws AmqpException {
    AmqpUri parsed = AmqpUri.parse(uri);
    return AmqpClient.open(policy, parsed, saslFromUri(parsed), DEFAULT_TIMEOUT);
  }

  /**
   * Connects a blocking client, waiting at most {@link #DEFAULT_TIMEOUT} for each step.
   *
   * @throws AmqpException when the connection, TLS (see {@link dev.moat.core.TlsRefusals#find}),
   *     SASL or the AMQP open fails, or a step times out
   * @throws PlaintextRefusedException for {@code amqp://} to a host the policy does not exempt
   */
  public static AmqpClient connect(TlsPolicy policy, String uri, AmqpSasl sasl)
      throws AmqpException {
    return connect(policy, uri, sasl, DEFAULT_TIMEOUT);
  }

  /**
   * Connects a blocking client; {@code timeout} bounds each step (TCP connect, TLS, SASL and open
   * together; then every later send, receive and close).
   *
   * @throws AmqpException when the connection, TLS (see {@link dev.moat.core.TlsRefusals#find}),
   *     SASL or the AMQP open fails, or a step times out
   * @throws PlaintextRefusedException for {@code amqp://} to a host the policy does not exempt
   */
  public static AmqpClient connect(TlsPolicy policy, String uri, AmqpSasl sasl, Duration timeout)
      throws AmqpException {
    AmqpUri parsed = AmqpUri.parse(uri);
    requireNoUserInfo(parsed, sasl);
    return AmqpClient.open(policy, parsed, sasl, timeout);
  }

  static Transport transport(TlsPolicy policy, AmqpUri uri, AmqpSasl sasl, SslDomain domain) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sasl, "sasl");
    Objects.requireNonNull(domain, "domain");
    if (!uri.tls()) {
      policy.requireTls(PROTOCOL, uri.redacted(), uri.host());
      if (sasl.mechanism() != AmqpSasl.Mechanism.ANONYMOUS) {
        throw new PlaintextRefusedException(
            uri.host(),
            PROTOCOL,
            "Refused SASL " + sasl.mechanism() + " without TLS to " + uri.redacted()
                + " [check: PLAINTEXT]\n  Nothing was sent: "
                + (sasl.mechanism() == AmqpSasl.Mechanism.PLAIN
                    ? "SASL PLAIN would send the password in clear,"
                    : "SASL EXTERNAL needs a TLS client certificate,")
                + " even though the policy exempts " + uri.host() + " from TLS.\n"
                + "  Use amqps://" + hostForUri(uri.host()) + ":" + AmqpUri.AMQPS_PORT
                + " (the broker's TLS port), or AmqpSasl.anonymous() for a local development"
                + " broker.");
      }
    }
    if (sasl.mechanism() == AmqpSasl.Mechanism.EXTERNAL && policy.clientIdentity().isEmpty()) {
      throw new IllegalArgumentException(
          "SASL EXTERNAL for " + uri.redacted() + " needs a TLS client certificate, and the"
              + " policy has none.\n  Add one: TlsPolicy.builder().clientIdentity("
              + "ClientIdentity.fromPkcs12(path, password))");
    }
    Transport transport = Transport.Factory.create();
    // SASL first: Proton-J wraps each new layer around the previous ones, so the layer added last
    // is the one next to the socket. Adding TLS first would put SASL outside it, in clear.
    Sasl saslLayer = transport.sasl();
    saslLayer.client();
    saslLayer.setRemoteHostname(uri.host());
    saslLayer.setMechanisms(sasl.mechanism().name());
    if (sasl.mechanism() != AmqpSasl.Mechanism.ANONYMOUS) {
      byte[] response = sasl.initialResponse();
      saslLayer.send(response, 0, response.length);
      java.util.Arrays.fill(response, (byte) 0);
    }
    if (uri.tls()) {
      transport.ssl(domain, peerDetails(uri.host(), uri.port()));
      transport
          .attachments()
          .set(RECORD_KEY, HandshakeRecord.class, ((PolicySslContext) domain.getSslContext()).record());
    }
    return transport;
  }

  static AmqpSasl saslFromUri(AmqpUri uri) {
    String user = uri.user();
    if (user == null) {
      return AmqpSasl.anonymous();
    }
    char[] password = uri.password();
    AmqpSasl sasl = AmqpSasl.plain(user, password == null ? new char[0] : password);
    if (password != null) {
      java.util.Arrays.fill(password, '\0');
    }
    return sasl;
  }

  private static void requireNoUserInfo(AmqpUri uri, AmqpSasl sasl) {
    Objects.requireNonNull(sasl, "sasl");
    if (uri.user() != null) {
      throw new IllegalArgumentException(
          "credentials given twice for " + uri.redacted() + ": in the URI and as " + sasl
              + "; remove the user information from the URI");
    }
  }

  private static String hostForUri(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
