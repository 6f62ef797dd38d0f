package dev.moat.benchmarks;

import dev.moat.testkit.TlsTestServer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TLS 1.3 handshakes on loopback, each followed by a 4-byte echo: with Moat's {@code SSLContext}
 * against a JDK context trusting the same root. "full" invalidates the session after each
 * handshake; "resumed" lets the client resume (TLS 1.3 PSK), which skips certificate validation on
 * both sides.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
  @Param({"EC", "RSA"})
  public String keyType;

  @Param({"full", "resumed"})
  public String kind;

  private TlsTestServer server;
  private SSLSocketFactory moat;
  private SSLSocketFactory jdk;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Fixtures f = new Fixtures();
    server = TlsTestServer.builder().credentials(f.credentials(keyType)).protocols("TLSv1.3").start();
    moat = f.policy().sslSocketFactory("bench");
    // The server speaks only TLS 1.3, so the JDK client negotiates what Moat does.
    jdk = f.jdkContext().getSocketFactory();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }

  @Benchmark
  public SSLSession moat() throws Exception {
    return once(moat);
  }

  @Benchmark
  public SSLSession jdk() throws Exception {
    return once(jdk);
  }

  private SSLSession once(SSLSocketFactory factory) throws Exception {
    SSLSession session = server.handshake(factory);
    if (kind.equals("full")) {
      session.invalidate();
    }
    return session;
  }
}
