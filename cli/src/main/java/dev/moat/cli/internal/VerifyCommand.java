package dev.moat.cli.internal;

import dev.moat.core.Revocation;
import dev.moat.core.TlsEvent;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moat verify}: judges certificate chains with the strict pipeline, without a network. Batch
 * form speaks the JSON Lines format of {@code verify-batch-format.md}; the single-chain form exits
 * 0 or 1.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Judge certificate chains with Moat's strict pipeline, offline (no OCSP or CRL fetching).",
      "",
      "Single chain:  moat verify --roots R.pem --chain C.pem --host H [--time EPOCH] [--client]",
      "  exit 0 accepted, 1 refused (the refusal's full text on stderr), 2 unusable input.",
      "",
      "Batch:  moat verify --batch CASES.jsonl --out VERDICTS.jsonl [--case-timeout 10s]",
      "  one verdict line (ACCEPT, REJECT, SKIP, HANG) per case; each case runs on a worker "
          + "thread and is abandoned as HANG after the per-case bound.",
      "  Exit 0 when every case got a verdict, 1 when some line could not be given one, 2 for "
          + "unusable arguments or unreadable input."
    })
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--batch", paramLabel = "CASES.jsonl", description = "Cases, one JSON object per line.")
  @Nullable Path batch;

  @Option(names = "--out", paramLabel = "VERDICTS.jsonl", description = "Where the verdicts go (batch form).")
  @Nullable Path out;

  @Option(names = "--case-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "Per-case bound in the batch form: 10s, 500ms, or seconds. Default: ${DEFAULT-VALUE}.")
  String caseTimeout = "10s";

  @Option(names = "--roots", paramLabel = "R.pem", description = "Trusted roots (single-chain form).")
  @Nullable Path roots;

  @Option(names = "--chain", paramLabel = "C.pem", description = "The peer's chain, leaf first (single-chain form).")
  @Nullable Path chain;

  @Option(names = "--host", paramLabel = "H", description = "The name the client connects to (single-chain form).")
  @Nullable String host;

  @Option(names = "--time", paramLabel = "EPOCH", description = "Validation instant, Unix seconds. Default: now.")
  @Nullable Long time;

  @Option(names = "--client", description = "Verify a client chain (clientAuth, no host name) instead of a server's.")
  boolean client;

  @Option(names = "--debug", description = "Print stack traces.")
  boolean debug;

  @Override
  public Integer call() throws Exception {
    if (batch != null) {
      if (out == null) {
        throw new CliException(ExitCodes.USAGE, "--batch needs --out VERDICTS.jsonl");
      }
      if (roots != null || chain != null || host != null || client || time != null) {
        throw new CliException(ExitCodes.USAGE,
            "--batch takes its roots, chains, names and times from the cases; drop --roots/--chain/--host/--time/--client");
      }
      return batch(batch, out, parseDuration(caseTimeout));
    }
    if (roots == null || chain == null || (host == null && !client)) {
      throw new CliException(ExitCodes.USAGE,
          "give --batch CASES.jsonl --out VERDICTS.jsonl, or --roots R.pem --chain C.pem --host H");
    }
    return single(roots, chain);
  }

  // ------------------------------------------------------------------ single chain

  private int single(Path rootsFile, Path chainFile) throws IOException {
    List<X509Certificate> anchors = load("--roots", rootsFile);
    List<X509Certificate> presented = load("--chain", chainFile);
    Instant at = time == null ? Instant.now() : Instant.ofEpochSecond(time);
    List<String> accepted = new ArrayList<>();
    TlsPolicy policy = TlsPolicy.builder()
        .trustRoots(anchors)
        .revocation(Revocation.off()) // offline: no OCSP or CRL fetching
        .clock(Clock.fixed(at, ZoneOffset.UTC))
        .listener(e -> {
          if (e.kind() == TlsEvent.Kind.ACCEPTED) {
            accepted.add(e.message());
          }
        })
        .build();
    String who = client ? "client chain" : String.valueOf(host);
    try {
      if (client) {
        policy.verifyClient(presented, host == null ? "client" : host);
      } else {
        policy.verifyServer(presented, host, -1, "verify");
      }
    } catch (TlsRefusalException e) {
      throw new CliException(ExitCodes.REFUSED,
          "refused " + Certs.sanitize(who, 100) + " [check: " + e.check() + "] " + e.reason(), e.getMessage(), e);
    }
    PrintWriter w = spec.commandLine().getOut();
    w.println("ACCEPT " + Certs.sanitize(who, 100) + " at " + at + ": "
        + (accepted.isEmpty() ? "accepted" : accepted.get(0)));
    w.flush();
    return ExitCodes.OK;
  }

  private static List<X509Certificate> load(String option, Path file) {
    try {
      return Certs.strictCertificates(file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot read " + option + " " + file + ": " + e, null, e);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, option + " " + e.getMessage(), null, e);
    }
  }

  // ------------------------------------------------------------------ batch

  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(new BigDecimal(t.substring(0, t.length() - 1)).movePointRight(3).longValueExact());
      } else {
        d = Duration.ofMillis(new BigDecimal(t).movePointRight(3).longValueExact());
      }
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new CliException(ExitCodes.USAGE, "--case-timeout " + text + " must be above 0 and at most 1 hour");
      }
      return d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CliException(ExitCodes.USAGE, "--case-timeout '" + Certs.sanitize(text, 30)
          + "' is not a duration; use 10s, 500ms or a number of seconds");
    }
  }

  private int batch(Path cases, Path verdicts, Duration bound) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.exists(cases)) {
      throw new CliException(ExitCodes.USAGE, "cannot read --batch " + cases + ": no such file");
    }
    AtomicInteger threads = new AtomicInteger();
    // Daemon threads: a case that never returns is abandoned and must not keep the JVM alive.
    ExecutorService workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "moat-verify-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    int total = 0;
    int withoutVerdict = 0;
    int hung = 0;
    int[] counts = new int[4];
    BufferedReader in;
    try {
      in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(cases),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)));
    } catch (IOException e) {
      workers.shutdownNow();
      throw new CliException(ExitCodes.USAGE, "cannot read --batch " + cases + ": " + e, null, e);
    }
    BufferedWriter w;
    try {
      w = Files.newBufferedWriter(verdicts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      in.close();
      workers.shutdownNow();
      throw new CliException(ExitCodes.USAGE, "cannot write --out " + verdicts + ": " + e, null, e);
    }
    try (in; w) {
      int lineNumber = 0;
      while (true) {
        String line;
        try {
          line = in.readLine();
        } catch (CharacterCodingException e) {
          throw new CliException(ExitCodes.USAGE, cases + " line " + (lineNumber + 1) + " is not UTF-8", null, e);
        }
        if (line == null) {
          break;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        total++;
        Map<String, @Nullable Object> c;
        String id;
        try {
          Object parsed = Json.parse(line);
          if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("the line is not a JSON object");
          }
          @SuppressWarnings("unchecked")
          Map<String, @Nullable Object> m = (Map<String, @Nullable Object>) parsed;
          c = m;
          if (!(c.get("id") instanceof String)) {
            throw new IllegalArgumentException("no string \"id\"");
          }
          id = (String) c.get("id");
        } catch (IllegalArgumentException e) {
          withoutVerdict++;
          err.println("moat verify: " + cases + " line " + lineNumber + ": no verdict possible: " + e.getMessage());
          continue;
        }
        BatchCase.Verdict v = run(workers, c, bound);
        if (v.verdict().equals("HANG")) {
          hung++;
        }
        counts[index(v.verdict())]++;
        w.write(Json.write(Json.object("id", id, "verdict", v.verdict(), "reason", oneLine(v.reason()))));
        w.write('\n');
        w.flush();
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "I/O error on " + cases + " or " + verdicts + ": " + e, null, e);
    } finally {
      workers.shutdownNow();
    }
    err.println("moat verify: " + total + " cases: " + counts[0] + " ACCEPT, " + counts[1] + " REJECT, "
        + counts[2] + " SKIP, " + counts[3] + " HANG" + (withoutVerdict > 0 ? ", " + withoutVerdict
            + " lines without a verdict" : "") + (hung > 0 ? " (" + hung + " abandoned worker threads)" : ""));
    err.flush();
    return withoutVerdict == 0 ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  private static int index(String verdict) {
    switch (verdict) {
      case "ACCEPT": return 0;
      case "REJECT": return 1;
      case "SKIP": return 2;
      default: return 3;
    }
  }

  private BatchCase.Verdict run(ExecutorService workers, Map<String, @Nullable Object> c, Duration bound) {
    Future<BatchCase.Verdict> f = workers.submit(() -> {
      try {
        return BatchCase.judge(c);
      } catch (BatchCase.CaseFileException e) {
        return BatchCase.Verdict.skip("unusable case: " + e.getMessage());
      } catch (IllegalArgumentException | ArithmeticException e) {
        return BatchCase.Verdict.skip("malformed case: " + e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        // Hostile input tripping an unexpected failure inside verification: fail closed, as a
        // handshake would, and say so.
        if (debug) {
          e.printStackTrace(spec.commandLine().getErr());
        }
        return BatchCase.Verdict.reject("MALFORMED", "verification failed unexpectedly: " + e);
      }
    });
    try {
      return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new BatchCase.Verdict("HANG", "no verdict within " + bound.toMillis() + " ms; case abandoned");
    } catch (ExecutionException e) {
      return BatchCase.Verdict.reject("MALFORMED", "verification failed unexpectedly: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.USAGE, "interrupted", null, e);
    }
  }

  static String oneLine(String s) {
    String t = s.replace('\r', ' ').replace('\n', ' ').strip();
    return t.length() > 1000 ? t.substring(0, 997) + "..." : t;
  }
}
