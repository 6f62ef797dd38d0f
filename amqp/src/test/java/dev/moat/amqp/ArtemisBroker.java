package dev.moat.amqp;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.LoginException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.CertificateLoginModule;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * Apache ActiveMQ Artemis embedded in the test JVM: AMQP only, one acceptor per scenario, all on
 * one broker start, security on (an in-memory user, a guest for ANONYMOUS, and certificate logins
 * for SASL EXTERNAL). The address {@link #QUEUE} and every auto-created address are ANYCAST:
 * Artemis drops AMQP messages sent to an auto-created MULTICAST address with no subscriber.
 */
final class ArtemisBroker implements AutoCloseable {
  static final String QUEUE = "moat.test";
  static final String USER = "moat-user";
  static final String ROLE = "moat";
  static final String GUEST = "moat-guest";
  /** Addresses under this prefix need a role no user has. */
  static final String FORBIDDEN = "moat.forbidden";
  /** An existing queue under {@link #FORBIDDEN}. */
  static final String FORBIDDEN_QUEUE = FORBIDDEN + ".queue";
  /** The client certificate subject CN that the certificate login maps to {@link #CERT_USER}. */
  static final String CERT_CN = "moat-device-1";
  static final String CERT_USER = "moat-device";
  private static final char[] STORE_PASSWORD = "moat-test-store".toCharArray();

  /** What one acceptor serves. */
  static final class Acceptor {
    final String name;
    final Credentials credentials;
    final List<String> protocols;
    final List<String> cipherSuites;
    X509Certificate clientTrustRoot;
    String saslMechanisms;

    private Acceptor(String name, Credentials credentials, List<String> protocols,
        List<String> cipherSuites) {
      this.name = name;
      this.credentials = credentials;
      this.protocols = List.copyOf(protocols);
      this.cipherSuites = List.copyOf(cipherSuites);
    }

    /** A plaintext AMQP acceptor. */
    static Acceptor plaintext(String name) {
      return new Acceptor(name, null, List.of(), List.of());
    }

    /** A TLS acceptor; empty lists mean the JDK's defaults. */
    static Acceptor tls(String name, Credentials credentials, List<String> protocols,
        List<String> cipherSuites) {
      return new Acceptor(name, Objects.requireNonNull(credentials), protocols, cipherSuites);
    }

    /** Requires a client certificate issued under {@code root}. */
    Acceptor needClientAuth(X509Certificate root) {
      this.clientTrustRoot = root;
      return this;
    }

    /** The SASL mechanisms the acceptor offers (Artemis offers EXTERNAL only when asked). */
    Acceptor saslMechanisms(String mechanisms) {
      this.saslMechanisms = mechanisms;
      return this;
    }
  }

  private final EmbeddedActiveMQ embedded;
  private final Map<String, Integer> ports;

  private ArtemisBroker(EmbeddedActiveMQ embedded, Map<String, Integer> ports) {
    this.embedded = embedded;
    this.ports = ports;
  }

  static ArtemisBroker start(Path dir, String password, List<Acceptor> acceptors)
      throws Exception {
    Configuration config = new ConfigurationImpl()
        .setName("moat-test-broker")
        .setPersistenceEnabled(false)
        .setJournalDirectory(dir.resolve("journal").toString())
        .setBindingsDirectory(dir.resolve("bindings").toString())
        .setLargeMessagesDirectory(dir.resolve("large").toString())
        .setPagingDirectory(dir.resolve("paging").toString())
        .setSecurityEnabled(true)
        .setJMXManagementEnabled(false)
        .setGracefulShutdownEnabled(false);
    config.addAddressSetting("#", new AddressSettings()
        .setDefaultAddressRoutingType(RoutingType.ANYCAST)
        .setDefaultQueueRoutingType(RoutingType.ANYCAST)
        .setAutoCreateAddresses(true)
        .setAutoCreateQueues(true));
    config.addQueueConfiguration(QueueConfiguration.of(QUEUE).setAddress(QUEUE)
        .setRoutingType(RoutingType.ANYCAST).setDurable(false));
    config.addQueueConfiguration(QueueConfiguration.of(FORBIDDEN_QUEUE).setAddress(FORBIDDEN_QUEUE)
        .setRoutingType(RoutingType.ANYCAST).setDurable(false));
    Set<Role> roles = new HashSet<>();
    roles.add(new Role(ROLE, true, true, true, true, true, true, false, true, true, true, false,
        false));
    config.putSecurityRoles("#", roles);
    config.putSecurityRoles(FORBIDDEN + ".#", Set.of(new Role("nobody", true, true, true, true,
        true, true, false, true, true, true, false, false)));

    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Acceptor acceptor : acceptors) {
      int port = freePort();
      ports.put(acceptor.name, port);
      config.addAcceptorConfiguration(acceptor.name, url(dir, port, acceptor));
    }

    SecurityConfiguration users = new SecurityConfiguration();
    users.addUser(USER, password);
    users.addRole(USER, ROLE);
    users.addUser(GUEST, "");
    users.addRole(GUEST, ROLE);
    users.setDefaultUser(GUEST);
    ActiveMQJAASSecurityManager security = new ActiveMQJAASSecurityManager(
        InVMLoginModule.class.getName(), "moat-certificates", users, new CertificateLogins());

    EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
    embedded.setConfiguration(config);
    embedded.setSecurityManager(security);
    embedded.start();
    return new ArtemisBroker(embedded, ports);
  }

  private static String url(Path dir, int port, Acceptor a) throws IOException {
    StringBuilder url = new StringBuilder("tcp://127.0.0.1:" + port + "?protocols=AMQP");
    if (a.credentials != null) {
      Path keyStore = dir.resolve(a.name + "-key.p12");
      TestPki.writePkcs12(a.credentials, keyStore, STORE_PASSWORD);
      url.append(";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=").append(keyStore)
          .append(";keyStorePassword=").append(STORE_PASSWORD);
      if (!a.protocols.isEmpty()) {
        url.append(";enabledProtocols=").append(String.join(",", a.protocols));
      }
      if (!a.cipherSuites.isEmpty()) {
        url.append(";enabledCipherSuites=").append(String.join(",", a.cipherSuites));
      }
      if (a.clientTrustRoot != null) {
        Path trustStore = dir.resolve(a.name + "-trust.p12");
        writeTrustStore(a.clientTrustRoot, trustStore);
        url.append(";needClientAuth=true;trustStoreType=PKCS12;trustStorePath=").append(trustStore)
            .append(";trustStorePassword=").append(STORE_PASSWORD);
      }
    }
    if (a.saslMechanisms != null) {
      url.append(";saslMechanisms=").append(a.saslMechanisms);
    }
    return url.toString();
  }

  private static void writeTrustStore(X509Certificate root, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root);
      store.store(out, STORE_PASSWORD);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write a trust store", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  int port(String acceptor) {
    Integer port = ports.get(acceptor);
    if (port == null) {
      throw new IllegalArgumentException("no acceptor " + acceptor + "; have " + ports.keySet());
    }
    return port;
  }

  /** Connections the broker has accepted since it started, on every acceptor. */
  long totalConnections() {
    return embedded.getActiveMQServer().getRemotingService().getTotalConnectionCount();
  }

  /** Messages waiting in {@code queue}. */
  long messageCount(String queue) {
    var q = embedded.getActiveMQServer().locateQueue(queue);
    return q == null ? 0 : q.getMessageCount();
  }

  @Override
  public void close() throws IOException {
    try {
      embedded.stop();
    } catch (Exception e) {
      throw new IOException("stopping the broker: " + e.getMessage(), e);
    }
  }

  /** JAAS for certificate logins: maps a client certificate with CN {@link #CERT_CN} to a user. */
  static final class CertificateLogins extends SecurityConfiguration {
    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
      return new AppConfigurationEntry[] {
          new AppConfigurationEntry(CnLoginModule.class.getName(),
              AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())
      };
    }
  }

  /** Accepts exactly the client certificate whose subject CN is {@link #CERT_CN}. */
  public static final class CnLoginModule extends CertificateLoginModule {
    private static final Predicate<String> EXPECTED =
        dn -> new ArrayList<>(List.of(dn.split(","))).stream()
            .map(String::strip)
            .anyMatch(("CN=" + CERT_CN)::equals);

    @Override
    protected String getUserNameForCertificates(X509Certificate[] certs) throws LoginException {
      if (certs == null || certs.length == 0) {
        return null;
      }
      String dn = certs[0].getSubjectX500Principal().getName();
      return EXPECTED.test(dn) ? CERT_USER : null;
    }

    @Override
    protected Set<String> getUserRoles(String username) {
      return CERT_USER.equals(username) ? Set.of(ROLE) : Set.of();
    }
  }
}
