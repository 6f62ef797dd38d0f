package dev.moat.benchmarks;

import dev.moat.core.TlsPolicy;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Validating a 3-certificate chain (leaf, intermediate, root anchor), revocation off: Moat's whole
 * strict pipeline (path, rules, RFC 5280 check, host name) against the JDK's default PKIX trust
 * manager (path only; it checks no host name outside a handshake).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ValidationBenchmark {
  @Param({"EC", "RSA"})
  public String keyType;

  private TlsPolicy policy;
  private List<X509Certificate> chain;
  private X509Certificate[] chainArray;
  private X509TrustManager jdk;
  private String authType;

  @Setup
  public void setUp() throws Exception {
    Fixtures f = new Fixtures();
    policy = f.policy();
    chain = f.credentials(keyType).chain();
    chainArray = Fixtures.array(chain);
    jdk = f.jdkTrustManager();
    authType = keyType.equals("RSA") ? "ECDHE_RSA" : "ECDHE_ECDSA";
    policy.verifyServer(chain, Fixtures.HOST, 443, "bench"); // fails fast if the fixture is wrong
    jdk.checkServerTrusted(chainArray, authType);
  }

  @Benchmark
  public void moat() throws Exception {
    policy.verifyServer(chain, Fixtures.HOST, 443, "bench");
  }

  @Benchmark
  public void jdk() throws Exception {
    jdk.checkServerTrusted(chainArray, authType);
  }
}
