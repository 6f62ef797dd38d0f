package dev.moat.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.core.PlaintextRefusedException;
import dev.moat.core.TlsPolicy;
import dev.moat.testkit.TestPki;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SslDomain;
import org.apache.qpid.proton.engine.Transport;
import org.junit.jupiter.api.Test;

/**
 * What {@link ProtonTls} builds, checked on the bytes a transport would put on the wire, and what
 * it refuses before anything is sent. Broker round trips are in {@link AmqpBrokerTest} and {@link
 * AmqpCatalogTest}.
 */
class ProtonTlsTest {
  private static final String SECRET = "s3cret-password-value";
  private static final TlsPolicy POLICY =
      TlsPolicy.builder().trustRoot(TestPki.shared().root()).build();

  /** The first bytes a client transport writes once a connection is bound and opened. */
  private static byte[] firstBytes(Transport transport) {
    Connection connection = Connection.Factory.create();
    transport.bind(connection);
    connection.open();
    int pending = transport.pending();
    assertThat(pending).isPositive();
    ByteBuffer head = transport.head();
    byte[] bytes = new byte[head.remaining()];
    head.duplicate().get(bytes);
    return bytes;
  }

  @Test
  void transport_saslPlain_firstBytesAreTlsClientHelloNotSaslInClear() {
    Transport transport = ProtonTls.transport(POLICY, "amqps://broker.example.com:5671",
        AmqpSasl.plain("device", SECRET.toCharArray()));

    byte[] wire = firstBytes(transport);

    assertThat(wire[0]).as("TLS record type handshake").isEqualTo((byte) 0x16);
    assertThat(wire[1]).as("TLS record major version").isEqualTo((byte) 0x03);
    String text = new String(wire, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain("AMQP").doesNotContain("PLAIN").doesNotContain(SECRET);
  }

  @Test
  void transport_tlsLayeredBeforeSasl_wouldWriteSaslHeaderInClear() {
    // The pitfall ProtonTls avoids, shown on a hand-built transport: TLS first, then SASL.
    Transport wrongOrder = Transport.Factory.create();
    wrongOrder.ssl(ProtonTls.sslDomain(POLICY), ProtonTls.peerDetails("broker.example.com", 5671));
    Sasl sasl = wrongOrder.sasl();
    sasl.client();
    sasl.setMechanisms("PLAIN");

    byte[] wire = firstBytes(wrongOrder);

    assertThat(new String(wire, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("AMQP");
    assertThat(wire[4]).as("SASL protocol id").isEqualTo((byte) 3);
  }

  @Test
  void sslDomain_engine_hasPeerHostAndPolicyProtocolsAndSuites() {
    SslDomain domain = ProtonTls.sslDomain(POLICY);
    SSLContext context = domain.getSslContext();

    SSLEngine engine = context.createSSLEngine("broker.example.com", 5671);

    assertThat(domain.getMode()).isEqualTo(SslDomain.Mode.CLIENT);
    assertThat(domain.getPeerAuthentication()).isEqualTo(SslDomain.VerifyMode.VERIFY_PEER_NAME);
    assertThat(engine.getPeerHost()).isEqualTo("broker.example.com");
    assertThat(engine.getPeerPort()).isEqualTo(5671);
    assertThat(engine.getUseClientMode()).isTrue();
    assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrderElementsOf(POLICY.protocols());
    assertThat(engine.getEnabledCipherSuites())
        .containsExactlyInAnyOrderElementsOf(POLICY.cipherSuites());
    assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(engine.getSSLParameters().getServerNames())
        .as("SNI").containsExactly(new SNIHostName("broker.example.com"));
  }

  @Test
  void sslDomain_engineWithoutPeerHost_refused() {
    SSLContext context = ProtonTls.sslDomain(POLICY).getSslContext();
    assertThatThrownBy(context::createSSLEngine)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without the peer's host")
        .hasMessageContaining("ProtonTls.peerDetails");
  }

  @Test
  void transport_amqpUri_refusedNamingRedactedUriAndExemption() {
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqp://device:" + SECRET
            + "@broker.example.com"))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("amqp://device:***@broker.example.com:5672")
        .hasMessageContaining("[check: PLAINTEXT]")
        .hasMessageContaining("amqps://")
        .hasMessageContaining("insecureAllowPlaintextTo(\"broker.example.com\"")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void transport_saslPlainWithoutTlsToExemptHost_refusedEvenSo() {
    TlsPolicy exempt = POLICY.toBuilder()
        .insecureAllowPlaintextTo("devbroker.test", "local development broker").build();
    assertThatThrownBy(() -> ProtonTls.transport(exempt, "amqp://devbroker.test",
            AmqpSasl.plain("device", SECRET.toCharArray())))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("Refused SASL PLAIN without TLS to amqp://devbroker.test:5672")
        .hasMessageContaining("amqps://devbroker.test:5671")
        .hasMessageContaining("AmqpSasl.anonymous()")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> ProtonTls.transport(exempt, "amqp://devbroker.test",
            AmqpSasl.external()))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("SASL EXTERNAL without TLS");
  }

  @Test
  void transport_anonymousToExemptHost_plaintextSaslHeader() {
    TlsPolicy exempt = POLICY.toBuilder()
        .insecureAllowPlaintextTo("devbroker.test", "local development broker").build();
    Transport transport =
        ProtonTls.transport(exempt, "amqp://devbroker.test", AmqpSasl.anonymous());
    byte[] wire = firstBytes(transport);
    assertThat(new String(wire, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("AMQP");
    assertThat(ProtonTls.tlsFailure(transport)).isEmpty();
    assertThat(ProtonTls.handshakeFinished(transport)).isEmpty();
  }

  @Test
  void transport_saslExternalWithoutClientIdentity_refused() {
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.example.com",
            AmqpSasl.external()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SASL EXTERNAL for amqps://broker.example.com:5671")
        .hasMessageContaining("clientIdentity(");
  }

  @Test
  void transport_credentialsInUriAndSasl_refusedAsGivenTwice() {
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://a:" + SECRET + "@broker.test",
            AmqpSasl.anonymous()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials given twice for amqps://a:***@broker.test:5671")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void transport_otherSchemeOrNoHost_refusedWithExpectedForm() {
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "tcp://u:" + SECRET + "@broker.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp://u:***@broker.test")
        .hasMessageContaining("amqps://host:5671")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps:///queue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no host");
  }

  @Test
  void transport_domainWithVerificationTurnedOff_refused() {
    SslDomain anonymous = ProtonTls.sslDomain(POLICY);
    anonymous.setPeerAuthentication(SslDomain.VerifyMode.ANONYMOUS_PEER);
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.test",
            AmqpSasl.anonymous(), anonymous))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amqps://broker.test:5671")
        .hasMessageContaining("ANONYMOUS_PEER")
        .hasMessageContaining("accepts any certificate")
        .hasMessageContaining("ProtonTls.sslDomain(policy)");

    SslDomain noHostCheck = ProtonTls.sslDomain(POLICY);
    noHostCheck.setPeerAuthentication(SslDomain.VerifyMode.VERIFY_PEER);
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.test",
            AmqpSasl.anonymous(), noHostCheck))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not check the broker's host name");

    SslDomain unsecured = ProtonTls.sslDomain(POLICY);
    unsecured.allowUnsecuredClient(true);
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.test",
            AmqpSasl.anonymous(), unsecured))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allows unsecured clients");
  }

  @Test
  void transport_domainWithForeignContext_refused() throws Exception {
    SslDomain foreign = ProtonTls.sslDomain(POLICY);
    foreign.setSslContext(SSLContext.getDefault());
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.test",
            AmqpSasl.anonymous(), foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the TlsPolicy's");

    SslDomain files = SslDomain.Factory.create();
    files.init(SslDomain.Mode.CLIENT);
    files.setPeerAuthentication(SslDomain.VerifyMode.VERIFY_PEER_NAME);
    files.setTrustedCaDb("/etc/ssl/certs/ca-certificates.crt");
    assertThatThrownBy(() -> ProtonTls.transport(POLICY, "amqps://broker.test",
            AmqpSasl.anonymous(), files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("build its own trust from PEM files");
  }

  @Test
  void transport_unchangedMoatDomain_accepted() {
    Transport transport = ProtonTls.transport(POLICY, "amqps://broker.test", AmqpSasl.anonymous(),
        ProtonTls.sslDomain(POLICY));
    assertThat(firstBytes(transport)[0]).isEqualTo((byte) 0x16);
    assertThat(ProtonTls.handshakeFinished(transport)).contains(false);
  }

  @Test
  void amqpSasl_toString_neverShowsPassword() {
    AmqpSasl sasl = AmqpSasl.plain("device", SECRET.toCharArray());
    assertThat(sasl.toString()).isEqualTo("AmqpSasl[PLAIN device]").doesNotContain(SECRET);
    assertThat(AmqpSasl.external().toString()).isEqualTo("AmqpSasl[EXTERNAL]");
    assertThat(sasl.initialResponse())
        .isEqualTo(("\0device\0" + SECRET).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void peerDetails_badHostOrPort_refused() {
    assertThatThrownBy(() -> ProtonTls.peerDetails("", 5671))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host is empty");
    assertThatThrownBy(() -> ProtonTls.peerDetails("broker.test", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 0");
  }
}
