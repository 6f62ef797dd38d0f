package dev.moat.benchmarks;

import dev.moat.core.TlsPolicy;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The first validation of a chain by a policy: a fresh policy for every call (built outside the
 * measured time), so Moat's per-policy cache of path verdicts never hits. The JDK baseline is the
 * same as in {@link ValidationBenchmark}: it keeps no such cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FirstSightBenchmark {
  @Param({"EC", "RSA"})
  public String keyType;

  private Fixtures fixtures;
  private List<X509Certificate> chain;
  private X509Certificate[] chainArray;
  private X509TrustManager jdk;
  private String authType;
  private TlsPolicy fresh;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixtures = new Fixtures();
    chain = fixtures.credentials(keyType).chain();
    chainArray = Fixtures.array(chain);
    jdk = fixtures.jdkTrustManager();
    authType = keyType.equals("RSA") ? "ECDHE_RSA" : "ECDHE_ECDSA";
  }

  @Setup(Level.Invocation)
  public void freshPolicy() {
    fresh = fixtures.policy();
  }

  @Benchmark
  public void moat() throws Exception {
    fresh.verifyServer(chain, Fixtures.HOST, 443, "bench");
  }

  @Benchmark
  public void jdk() throws Exception {
    jdk.checkServerTrusted(chainArray, authType);
  }
}
