package dev.moat.benchmarks;

import dev.moat.testkit.TestPki;
import dev.moat.testkit.TlsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once (one fork, short iterations: the whole suite stays under 10 minutes on
 * 2 cores) and prints each Moat figure as a ratio against its baseline from the same run, then the
 * cold-start comparison measured as whole processes.
 */
public final class RunBenchmarks {
  private RunBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Options options = new OptionsBuilder()
        .include(ValidationBenchmark.class.getSimpleName())
        .include(FirstSightBenchmark.class.getSimpleName())
        .include(PinBenchmark.class.getSimpleName())
        .include(HandshakeBenchmark.class.getSimpleName())
        .include(HttpBenchmark.class.getSimpleName())
        .forks(1)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    Map<String, double[]> byKey = new LinkedHashMap<>();
    Map<String, Double> alloc = new LinkedHashMap<>();
    String unitOf = "";
    Map<String, String> units = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String method = label.substring(label.lastIndexOf('.') + 1);
      String cls = label.substring(0, label.lastIndexOf('.'));
      cls = cls.substring(cls.lastIndexOf('.') + 1).replace("Benchmark", "");
      List<String> params = new ArrayList<>();
      for (String k : r.getParams().getParamsKeys()) {
        params.add(r.getParams().getParam(k));
      }
      String key = cls + (params.isEmpty() ? "" : " " + String.join("/", params));
      Result<?> primary = r.getPrimaryResult();
      double[] pair = byKey.computeIfAbsent(key, k -> new double[2]);
      pair[method.equals("moat") ? 0 : 1] = primary.getScore();
      units.put(key, primary.getScoreUnit());
      Result<?> norm = r.getSecondaryResults().get("·gc.alloc.rate.norm");
      if (norm == null) {
        norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
      }
      if (norm != null) {
        alloc.put(key + " " + method, norm.getScore());
      }
      unitOf = primary.getScoreUnit();
    }

    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%n%-34s %14s %14s %10s  %s%n", "benchmark", "moat", "baseline", "ratio", "unit"));
    for (Map.Entry<String, double[]> e : byKey.entrySet()) {
      String unit = units.get(e.getKey());
      double moat = e.getValue()[0];
      double base = e.getValue()[1];
      // Throughput: higher is better, ratio = moat / baseline. Time per op: ratio = baseline / moat.
      boolean throughput = unit.startsWith("ops/");
      double ratio = throughput ? moat / base : base / moat;
      table.append(String.format(Locale.ROOT, "%-34s %14.1f %14.1f %9.2fx  %s%n", e.getKey(), moat, base, ratio, unit));
    }
    table.append(String.format(Locale.ROOT, "%nallocation per operation (B/op, -prof gc):%n"));
    for (Map.Entry<String, Double> e : alloc.entrySet()) {
      table.append(String.format(Locale.ROOT, "  %-40s %10.0f%n", e.getKey(), e.getValue()));
    }
    table.append(coldStart());
    table.append(String.format(Locale.ROOT, "%nratio: Moat relative to the baseline in the same run (>1 is faster, for "
        + "AverageTime rows baseline/moat); %s, %d cores, Java %s%n", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    System.out.print(table);
    Path out = Path.of("target", "benchmark-table.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    if (unitOf.isEmpty()) {
      throw new IllegalStateException("no benchmark results");
    }
  }

  /** Whole processes, alternating Moat and JDK, median of 7 each. */
  private static String coldStart() throws Exception {
    TestPki pki = TestPki.create("localhost");
    Path dir = Files.createTempDirectory("moat-coldstart");
    Path root = dir.resolve("root.pem");
    Files.writeString(root, pki.rootPem());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    long[] moat = new long[7];
    long[] jdk = new long[7];
    try (TlsTestServer server = TlsTestServer.builder().credentials(pki.goodChain()).protocols("TLSv1.3").start()) {
      run(java, classpath, "jdk", server.port(), root); // warm the OS file cache
      for (int i = 0; i < moat.length; i++) {
        jdk[i] = run(java, classpath, "jdk", server.port(), root);
        moat[i] = run(java, classpath, "moat", server.port(), root);
      }
    }
    Arrays.sort(moat);
    Arrays.sort(jdk);
    double m = moat[moat.length / 2] / 1e6;
    double j = jdk[jdk.length / 2] / 1e6;
    return String.format(Locale.ROOT, "%ncold start, new JVM to first verified handshake (median of %d processes):%n"
        + "  moat %.0f ms, jdk %.0f ms, moat/jdk %.2fx (target <= 1.2x)%n", moat.length, m, j, m / j);
  }

  private static long run(String java, String classpath, String which, int port, Path root) throws Exception {
    long start = System.nanoTime();
    Process p = new ProcessBuilder(java, "-cp", classpath, ColdStart.class.getName(), which,
        Integer.toString(port), root.toString()).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("cold start run did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("cold start run (" + which + ") failed with exit " + p.exitValue());
    }
    return System.nanoTime() - start;
  }
}
