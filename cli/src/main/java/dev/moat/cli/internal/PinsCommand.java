package dev.moat.cli.internal;

import dev.moat.core.Pin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moat pins}: the {@code sha256/} pin of every certificate or public key in PEM/DER files. */
@Command(
    name = "pins",
    mixinStandardHelpOptions = true,
    description = {
      "Print the sha256/ SPKI pin of every certificate and public key in PEM or DER files.",
      "",
      "One line each: pin, kind, subject, file#block. Private keys are never read.",
      "",
      "Exit 0 when every file gave at least one pin, 2 when a file is unreadable or holds none."
    })
public final class PinsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "PEM or DER files.")
  List<Path> files = new ArrayList<>();

  @picocli.CommandLine.Option(names = "--debug", description = "Print stack traces.")
  boolean debug;

  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> failures = new ArrayList<>();
    for (Path file : files) {
      List<String> problems = new ArrayList<>();
      int found = 0;
      byte[] bytes;
      try {
        bytes = Certs.read(file);
      } catch (NoSuchFileException e) {
        failures.add(file + ": no such file");
        continue;
      } catch (IOException e) {
        failures.add(file + ": cannot read (" + e.getMessage() + ")");
        continue;
      }
      if (Certs.isPem(bytes)) {
        for (Certs.Block b : Certs.pemBlocks(bytes)) {
          String where = file + "#" + b.index();
          if (b.der() == null) {
            problems.add(where + ": " + b.error());
            continue;
          }
          switch (b.type()) {
            case "CERTIFICATE":
            case "TRUSTED CERTIFICATE":
              Certs.Parsed p = Certs.parse(b.index(), b.der());
              if (p.certificate() == null) {
                problems.add(where + ": " + p.error());
              } else {
                out.println(line(p.certificate(), where));
                found++;
              }
              break;
            case "PUBLIC KEY":
              String key = publicKey(b.der());
              if (key == null) {
                problems.add(where + ": PUBLIC KEY block is not a valid SubjectPublicKeyInfo");
              } else {
                out.println(Pin.ofSpki(b.der()) + "  public key (" + key + ")  " + where);
                found++;
              }
              break;
            default:
              // Private keys, CSRs, CRLs: not pinnable, and private keys are not ours to read.
              break;
          }
        }
      } else {
        Certs.Parsed p = bytes.length == 0 ? null : Certs.parse(1, bytes);
        if (p != null && p.certificate() != null) {
          out.println(line(p.certificate(), file.toString()));
          found++;
        } else if (bytes.length > 0 && publicKey(bytes) != null) {
          out.println(Pin.ofSpki(bytes) + "  public key (" + publicKey(bytes) + ")  " + file);
          found++;
        } else {
          problems.add(file + ": neither PEM nor a DER certificate or public key");
        }
      }
      if (found == 0) {
        failures.add(problems.isEmpty()
            ? file + ": no certificate or public key found" : String.join("; ", problems));
      } else {
        problems.forEach(pr -> err.println("moat pins: warning: " + pr));
      }
    }
    out.flush();
    if (!failures.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, failures.get(0),
          failures.size() > 1 ? String.join("\n", failures.subList(1, failures.size())) : null, null);
    }
    return ExitCodes.OK;
  }

  private static String line(X509Certificate c, String where) {
    return Certs.pin(c) + "  certificate " + Certs.name(c.getSubjectX500Principal()) + "  " + where;
  }

  /** The key's algorithm when the bytes are a SubjectPublicKeyInfo this JVM understands, else null. */
  private static @Nullable String publicKey(byte[] der) {
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der)).getAlgorithm();
      } catch (Exception e) {
        // try the next algorithm
      }
    }
    return null;
  }
}
