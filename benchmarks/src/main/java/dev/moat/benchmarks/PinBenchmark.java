package dev.moat.benchmarks;

import dev.moat.core.Pin;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.CertificatePinner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Checking pins against a validated path whose last certificate carries the only matching pin (the
 * worst case: every certificate is looked at). Moat keeps each certificate's SPKI digest; OkHttp's
 * {@code CertificatePinner} hashes every certificate on every check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PinBenchmark {
  private List<X509Certificate> path;
  private List<Certificate> okhttpPath;
  private Set<Pin> pins;
  private CertificatePinner pinner;

  @Setup
  public void setUp() {
    Fixtures f = new Fixtures();
    path = new ArrayList<>(f.ec.chain());
    path.add(f.pki.root());
    okhttpPath = new ArrayList<>(path);
    Pin rootPin = Pin.of(f.pki.root());
    String unrelated = f.pki.unrelatedPin().toString();
    pins = Set.of(rootPin, Pin.parse(unrelated));
    pinner = new CertificatePinner.Builder().add(Fixtures.HOST, rootPin.toString(), unrelated).build();
  }

  @Benchmark
  public boolean moat() {
    for (X509Certificate c : path) {
      if (pins.contains(Pin.of(c))) {
        return true;
      }
    }
    return false;
  }

  @Benchmark
  public void okhttp() throws Exception {
    pinner.check(Fixtures.HOST, okhttpPath);
  }
}
