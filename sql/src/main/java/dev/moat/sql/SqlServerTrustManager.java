package dev.moat.sql;

import dev.moat.core.Check;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.sql.internal.PolicyRegistry;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The trust manager the SQL Server driver instantiates through {@code
 * trustManagerClass=dev.moat.sql.SqlServerTrustManager}: Moat's strict trust manager for the policy
 * named by {@code trustManagerConstructorArg}. {@link SqlServerTls} sets both properties; users do
 * not create this class themselves.
 *
 * <pre>{@code
 * ds.setTrustManagerClass(SqlServerTrustManager.class.getName());
 * ds.setTrustManagerConstructorArg(SqlServerTrustManager.constructorArg(policy));
 * }</pre>
 *
 * <p>With {@code trustManagerClass} set the driver performs no host-name check of its own. This
 * class does it: the driver creates its {@code SSLSocket} with the server name it connects to
 * ({@code serverName} without the instance name), for TDS 8 over the TCP socket and for TDS 7 over
 * the socket that frames the handshake in PRELOGIN packets, so the handshake session's peer host is
 * that name and the policy matches the certificate against it. When {@code hostNameInCertificate}
 * is set, its name is bound into the constructor argument and checked instead.
 *
 * <p>The driver takes its protocols and cipher suites from the JVM's defaults, not from the policy;
 * this trust manager therefore also refuses a handshake whose negotiated protocol or cipher suite
 * the policy does not allow ({@link Check#PROTOCOL}, {@link Check#CIPHER_SUITE}), before any
 * application data is sent.
 */
public final class SqlServerTrustManager extends X509ExtendedTrustManager {
  private static final String HOST_PARAM = ";host=";

  private final TlsPolicy policy;
  private final X509ExtendedTrustManager strict;
  private final @Nullable String hostOverride;

  /**
   * Called by the driver with {@code trustManagerConstructorArg}.
   *
   * @throws IllegalArgumentException when the argument names no policy registered in this JVM (the
   *     connection then fails: there is no trust decision to fall back to)
   */
  public SqlServerTrustManager(String constructorArg) {
    Objects.requireNonNull(constructorArg, "trustManagerConstructorArg");
    String id = constructorArg;
    String host = null;
    int at = constructorArg.indexOf(HOST_PARAM);
    if (at >= 0) {
      id = constructorArg.substring(0, at);
      host = constructorArg.substring(at + HOST_PARAM.length());
      if (host.isEmpty()) {
        throw new IllegalArgumentException("trustManagerConstructorArg has an empty host");
      }
    }
    String finalId = id;
    this.policy =
        PolicyRegistry.lookup(id)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "trustManagerConstructorArg '"
                            + shorten(finalId)
                            + "' names no Moat policy registered in this JVM; build the data source"
                            + " or connection properties with SqlServerTls in the same JVM"));
    this.strict = policy.trustManager(SqlServerTls.PROTOCOL);
    this.hostOverride = host;
  }

  /** The constructor argument that selects {@code policy}. */
  public static String constructorArg(TlsPolicy policy) {
    return PolicyRegistry.idOf(policy);
  }

  /**
   * The constructor argument that selects {@code policy} and checks the server certificate against
   * {@code hostNameInCertificate} instead of the name the driver connects to.
   */
  public static String constructorArg(TlsPolicy policy, String hostNameInCertificate) {
    Objects.requireNonNull(hostNameInCertificate, "hostNameInCertificate");
    if (hostNameInCertificate.isEmpty() || hostNameInCertificate.indexOf(';') >= 0) {
      throw new IllegalArgumentException("hostNameInCertificate must be a host name");
    }
    return PolicyRegistry.idOf(policy) + HOST_PARAM + hostNameInCertificate;
  }

  /** The policy this trust manager enforces. */
  public TlsPolicy policy() {
    return policy;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
      throws CertificateException {
    SSLSession session = socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
    String host = hostOverride;
    int port = socket != null ? socket.getPort() : -1;
    if (session != null) {
      if (host == null) {
        host = session.getPeerHost();
      }
      port = session.getPeerPort();
      checkNegotiated(session, host, port, chain);
    }
    if (hostOverride != null) {
      policy.verifyServer(Arrays.asList(chain), hostOverride, port, SqlServerTls.PROTOCOL);
    } else {
      strict.checkServerTrusted(chain, authType, socket);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
      throws CertificateException {
    SSLSession session = engine != null ? engine.getHandshakeSession() : null;
    int port = engine != null ? engine.getPeerPort() : -1;
    if (session != null) {
      checkNegotiated(session, hostOverride != null ? hostOverride : session.getPeerHost(), port, chain);
    }
    if (hostOverride != null) {
      policy.verifyServer(Arrays.asList(chain), hostOverride, port, SqlServerTls.PROTOCOL);
    } else {
      strict.checkServerTrusted(chain, authType, engine);
    }
  }

  /** Without a socket there is no host to check, unless {@code hostNameInCertificate} was bound. */
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (hostOverride != null) {
      policy.verifyServer(Arrays.asList(chain), hostOverride, -1, SqlServerTls.PROTOCOL);
    } else {
      strict.checkServerTrusted(chain, authType);
    }
  }

  private void checkNegotiated(SSLSession session, @Nullable String host, int port, X509Certificate[] chain)
      throws TlsRefusalException {
    String shown = host == null ? "?" : host;
    List<X509Certificate> peer = Arrays.asList(chain);
    String protocol = session.getProtocol();
    if (protocol != null && !policy.protocols().contains(protocol)) {
      throw new TlsRefusalException(
          Check.PROTOCOL, shown, port, SqlServerTls.PROTOCOL, peer,
          "The server negotiated " + protocol + ", which the policy does not allow.",
          List.of("allowed: " + String.join(", ", policy.protocols())),
          "Enable TLS 1.2 or 1.3 on the server. TLS 1.0 and 1.1 are broken and cannot be allowed.",
          null);
    }
    String suite = session.getCipherSuite();
    if (suite != null && !suite.startsWith("SSL_NULL") && !policy.cipherSuites().contains(suite)) {
      throw new TlsRefusalException(
          Check.CIPHER_SUITE, shown, port, SqlServerTls.PROTOCOL, peer,
          "The server negotiated the cipher suite " + suite + ", which the policy does not allow"
              + (suite.toUpperCase(Locale.ROOT).contains("CBC") ? " (not AEAD)." : "."),
          List.of("allowed: " + String.join(", ", policy.cipherSuites())),
          "Enable ECDHE with AES-GCM or ChaCha20-Poly1305 suites on the server.",
          null);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket)
      throws CertificateException {
    strict.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine)
      throws CertificateException {
    strict.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    strict.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return strict.getAcceptedIssuers();
  }

  private static String shorten(String s) {
    String clean = s.replaceAll("[^A-Za-z0-9_.:=-]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
  }
}
