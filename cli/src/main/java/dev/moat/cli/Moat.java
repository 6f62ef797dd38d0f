package dev.moat.cli;

import dev.moat.cli.internal.CliException;
import dev.moat.cli.internal.ExitCodes;
import dev.moat.cli.internal.InspectCommand;
import dev.moat.cli.internal.PinsCommand;
import dev.moat.cli.internal.VerifyCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code moat} command: see why a TLS connection is refused, print pins, verify chains.
 *
 * <pre>{@code
 * moat inspect db.internal:1433 --protocol sqlserver --trust internal-ca.pem
 * moat pins server.crt backup-key.pub
 * moat verify --batch cases.jsonl --out verdicts.jsonl
 * moat verify --roots ca.pem --chain chain.pem --host api.example.com
 * }</pre>
 *
 * <p>Exit status: 0 accepted (or done), 1 refused by the strict policy, 2 unusable arguments or
 * input, 3 the peer could not be reached or did not answer in time. Failures print one line on
 * stderr, followed by the refusal's full text when there is one; {@code --debug} adds stack traces.
 */
@Command(
    name = "moat",
    mixinStandardHelpOptions = true,
    versionProvider = Moat.Version.class,
    description = "Moat: refuse plaintext and unvalidated TLS. Inspect servers, print pins, verify chains.",
    subcommands = {
      InspectCommand.class,
      PinsCommand.class,
      VerifyCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit status: 0 accepted, 1 refused, 2 unusable arguments or input, 3 unreachable or no answer."
    })
public final class Moat implements Callable<Integer> {
  @Spec CommandSpec spec;

  Moat() {}

  /** Runs the command with the JVM's streams and exits with its status. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command in this JVM and returns its exit status instead of exiting.
   *
   * @param out where reports go
   * @param err where failures go
   * @param args the command line, without the program name
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine cl = new CommandLine(new Moat());
    cl.setOut(outWriter);
    cl.setErr(errWriter);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          errWriter.println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
          errWriter.println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          if (debug) {
            ex.printStackTrace(errWriter);
          }
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          String name = c.getCommandSpec().qualifiedName();
          if (ex instanceof CliException) {
            CliException ce = (CliException) ex;
            errWriter.println(name + ": " + oneLine(ce.getMessage()));
            if (ce.detail() != null) {
              errWriter.println(ce.detail());
            }
            if (debug) {
              ex.printStackTrace(errWriter);
            }
            errWriter.flush();
            return ce.exitCode();
          }
          errWriter.println(name + ": internal error: " + oneLine(String.valueOf(ex)));
          if (debug) {
            ex.printStackTrace(errWriter);
          } else {
            errWriter.println("Run again with --debug for the stack trace.");
          }
          errWriter.flush();
          return 70;
        });
    int code = cl.execute(args);
    outWriter.flush();
    errWriter.flush();
    return code;
  }

  private static String oneLine(@org.jspecify.annotations.Nullable String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Moat.class.getPackage().getImplementationVersion();
      return new String[] {"moat " + (v == null ? "(development build)" : v)};
    }
  }
}
