package dev.moat.testkit.internal;

import java.nio.ByteBuffer;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TEST-ONLY: re-enables TLS 1.0 and TLS 1.1 in this JVM's JSSE so that the test server can play a
 * legacy server.
 *
 * <p>The JDK disables both through the {@code jdk.tls.disabledAlgorithms} security property, which
 * JSSE reads once, when the first {@link SSLContext} of the JVM is created. {@link #enable()}
 * removes {@code TLSv1} and {@code TLSv1.1} from that property (nothing else) and must therefore run
 * before that moment; testkit calls it when the JUnit launcher session opens ({@link
 * JUnitLegacyTlsListener}) and from the static initialisers of its entry classes. It then
 * probes whether JSSE really accepts TLS 1.0. If JSSE had already read the property, the probe fails
 * and the legacy scenarios report themselves unavailable.
 *
 * <p><b>Security:</b> this weakens the JDK defaults of the whole JVM, clients included. That is the
 * point in Moat's tests (Moat must refuse old protocols by itself, not because the JDK happens to),
 * and must never happen in production: never call this outside tests.
 */
public final class LegacyTls {
  public static final String PROPERTY = "jdk.tls.disabledAlgorithms";
  private static final Set<String> LEGACY = Set.of("TLSv1", "TLSv1.1");
  private static @Nullable Boolean available;

  private LegacyTls() {}

  /**
   * Removes TLS 1.0 and 1.1 from {@code jdk.tls.disabledAlgorithms} (once per JVM) and reports
   * whether JSSE now negotiates TLS 1.0.
   */
  public static synchronized boolean enable() {
    if (available == null) {
      String current = Security.getProperty(PROPERTY);
      if (current != null) {
        List<String> kept = new ArrayList<>();
        for (String entry : current.split(",")) {
          String trimmed = entry.strip();
          if (!trimmed.isEmpty() && !LEGACY.contains(trimmed)) {
            kept.add(trimmed);
          }
        }
        Security.setProperty(PROPERTY, String.join(", ", kept));
      }
      available = probe();
    }
    return available;
  }

  /** Why the legacy protocols are unavailable, or null when they are available. */
  public static @Nullable String unavailableReason() {
    if (enable()) {
      return null;
    }
    return "TLS 1.0/1.1 stay disabled in this JVM: JSSE read the security property "
        + PROPERTY
        + " before testkit could relax it. Under JUnit, testkit's LauncherSessionListener does this"
        + " first unless junit-platform-launcher is missing or listeners are disabled; otherwise load"
        + " a testkit class (BadTls, TlsTestServer or TestPki) before the first SSLContext of the"
        + " test JVM is created, or start the JVM with"
        + " -Djava.security.properties=<file> where the file sets "
        + PROPERTY
        + " without TLSv1 and TLSv1.1.";
  }

  /**
   * Whether test servers are required rather than optional: the environment variable {@code CI}
   * or the system property {@code moat.requireServers} is {@code true}. Then a legacy scenario
   * that cannot run fails rather than skips.
   */
  public static boolean serversRequired() {
    return Boolean.parseBoolean(System.getProperty("moat.requireServers"))
        || Boolean.parseBoolean(System.getenv("CI"));
  }

  /** Does a TLSv1-only client engine produce a ClientHello, rather than "protocol is disabled"? */
  private static boolean probe() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new RefusingTrustManager()}, Keys.random());
      SSLEngine engine = context.createSSLEngine("localhost", 443);
      engine.setUseClientMode(true);
      engine.setEnabledProtocols(new String[] {"TLSv1"});
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.beginHandshake();
      engine.wrap(ByteBuffer.allocate(0), out);
      return out.position() > 0;
    } catch (SSLException e) {
      return false;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  private static final class RefusingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("probe only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("probe only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
