package dev.moat.cli.internal;

import dev.moat.core.Check;
import dev.moat.core.Revocation;
import dev.moat.core.TlsPolicy;
import dev.moat.core.TlsRefusalException;
import dev.moat.core.TlsRefusals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moat inspect}: connects, captures the server's chain, prints it, and runs the strict
 * pipeline on it.
 *
 * <p>The handshake itself uses a trust manager that records the chain and accepts it, because the
 * point is to show a person what the server presents even when Moat would refuse it. Nothing but
 * the handshake is ever sent on that connection, and it is closed at once; the verdict comes from
 * {@link TlsPolicy#verifyServer}, the same pipeline a Moat client runs.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Connect to a TLS server, print what it presents, and say whether Moat's strict policy accepts it.",
      "",
      "Shows the negotiated protocol and cipher suite, the peer chain leaf first (subject, issuer, "
          + "names, validity, key, signature algorithm, sha256/ pin), then the verdict with the "
          + "refusal's full text.",
      "",
      "sqlserver goes through the TDS 7 PRELOGIN exchange (or TDS 8 with --tds-strict); the other "
          + "protocols start TLS directly.",
      "",
      "Exit 0 when the policy accepts, 1 when it refuses, 2 for bad arguments, 3 when the server "
          + "cannot be reached or does not answer in time."
    })
public final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "Server to inspect; IPv6 as [::1]:443.")
  String target = "";

  @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "https",
      description = "https (443), redis (6380), mqtt (8883), amqp (5671), sqlserver (1433). Default: ${DEFAULT-VALUE}.")
  String protocol = "https";

  @Option(names = "--trust", paramLabel = "PEM",
      description = "Trust only the roots in this PEM file (repeatable). Default: the platform's roots.")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--servername", paramLabel = "NAME",
      description = "Name to send as SNI and to check the certificate against. Default: HOST.")
  @Nullable String serverName;

  @Option(names = "--pin", paramLabel = "sha256/...",
      description = "Require one of these SPKI pins in the path (repeatable; a single pin is allowed here).")
  List<String> pins = new ArrayList<>();

  @Option(names = "--revocation", paramLabel = "MODE", defaultValue = "soft",
      description = "off, soft (refuse a definite revoked; the default, as in TlsPolicy) or hard "
          + "(refuse unless a verified good). Fetches OCSP/CRL with core's bounded timeouts.")
  String revocation = "soft";

  @Option(names = "--tds-strict",
      description = "sqlserver: TDS 8 (encrypt=strict, TLS first, ALPN tds/8.0) instead of the TDS 7 "
          + "PRELOGIN exchange with the handshake inside PRELOGIN packets (the default).")
  boolean tdsStrict;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "TCP connect bound. Default: ${DEFAULT-VALUE}.")
  double connectTimeout = 5;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Bound on the whole TLS handshake. Default: ${DEFAULT-VALUE}.")
  double handshakeTimeout = 10;

  @Option(names = "--debug", description = "Print stack traces.")
  boolean debug;

  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of("https", 443, "redis", 6380, "mqtt", 8883, "amqp", 5671, "sqlserver", 1433);

  @Override
  public Integer call() {
    String proto = protocol.toLowerCase(Locale.ROOT);
    if (!DEFAULT_PORTS.containsKey(proto)) {
      throw new CliException(ExitCodes.USAGE,
          "unknown --protocol '" + Certs.sanitize(protocol, 40) + "'; use https, redis, mqtt, amqp or sqlserver");
    }
    if (tdsStrict && !proto.equals("sqlserver")) {
      throw new CliException(ExitCodes.USAGE, "--tds-strict applies to --protocol sqlserver only");
    }
    if (connectTimeout <= 0 || handshakeTimeout <= 0 || connectTimeout > 600 || handshakeTimeout > 600) {
      throw new CliException(ExitCodes.USAGE, "timeouts must be between 0 and 600 seconds");
    }
    HostPort hp = HostPort.parse(target, DEFAULT_PORTS.get(proto));
    String name = serverName != null ? serverName : hp.host();
    TlsPolicy policy = policy(name);

    Capture capture = handshake(hp, name, proto);
    Instant now = Instant.now();
    TlsRefusalException refusal = capture.refusal;
    String acceptedPath = null;
    if (refusal == null) {
      List<String> accepted = new ArrayList<>();
      TlsPolicy withListener = policy.toBuilder()
          .listener(e -> {
            if (e.kind() == dev.moat.core.TlsEvent.Kind.ACCEPTED) {
              accepted.add(e.message());
            }
          })
          .build();
      try {
        withListener.verifyServer(capture.chain, name, hp.port(), proto);
        acceptedPath = accepted.isEmpty() ? "accepted" : accepted.get(0);
      } catch (TlsRefusalException e) {
        refusal = e;
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(jsonReport(hp, name, proto, capture, now, refusal, acceptedPath)));
    } else {
      printText(out, hp, name, proto, capture, now, refusal, acceptedPath);
    }
    out.flush();
    if (refusal != null) {
      throw new CliException(ExitCodes.REFUSED,
          "refused " + hp + " (" + proto + ") [check: " + refusal.check() + "] " + refusal.reason(),
          refusal.getMessage(), refusal);
    }
    return ExitCodes.OK;
  }

  private TlsPolicy policy(String name) {
    TlsPolicy.Builder b = TlsPolicy.builder();
    switch (revocation.toLowerCase(Locale.ROOT)) {
      case "off": b.revocation(Revocation.off()); break;
      case "soft": b.revocation(Revocation.softFail()); break;
      case "hard": b.revocation(Revocation.hardFail()); break;
      default:
        throw new CliException(ExitCodes.USAGE,
            "unknown --revocation '" + Certs.sanitize(revocation, 20) + "'; use off, soft or hard");
    }
    for (Path p : trust) {
      try {
        b.trustRoots(Certs.strictCertificates(p));
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "cannot read --trust " + p + ": " + e, null, e);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, "--trust " + e.getMessage(), null, e);
      }
    }
    try {
      if (pins.size() == 1) {
        // inspect only reports: one pin is a question ("is this the key?"), not a deployment risk.
        b.riskyPinWithoutBackup(name, pins.get(0));
      } else if (!pins.isEmpty()) {
        b.pin(name, pins.toArray(new String[0]));
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage() == null ? e.toString() : e.getMessage(), null, e);
    }
  }

  /** What the handshake produced: a chain and session, or a refusal before any certificate. */
  static final class Capture {
    List<X509Certificate> chain = List.of();
    @Nullable String tlsVersion;
    @Nullable String cipherSuite;
    @Nullable String address;
    @Nullable TlsRefusalException refusal;
  }

  private Capture handshake(HostPort hp, String name, String proto) {
    InetSocketAddress address = resolve(hp);
    if (address.isUnresolved()) {
      throw new CliException(ExitCodes.UNREACHABLE, "cannot resolve host '" + Certs.sanitize(hp.host(), 100) + "'");
    }
    Capture capture = new Capture();
    capture.address = address.getAddress().getHostAddress();
    CapturingTrustManager tm = new CapturingTrustManager();
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {tm}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
    TlsPolicy strict = TlsPolicy.strict();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "moat-inspect-watchdog");
      t.setDaemon(true);
      return t;
    });
    AtomicBoolean timedOut = new AtomicBoolean();
    Socket raw = new Socket();
    try {
      // One deadline for the whole handshake: a server trickling bytes cannot stretch it.
      ScheduledFuture<?> deadline = watchdog.schedule(() -> {
        timedOut.set(true);
        closeQuietly(raw);
      }, (long) ((connectTimeout + handshakeTimeout) * 1000), TimeUnit.MILLISECONDS);
      try {
        raw.connect(address, (int) (connectTimeout * 1000));
      } catch (SocketTimeoutException e) {
        throw unreachable(hp, "no TCP answer within " + fmt(connectTimeout) + " s", e);
      } catch (ConnectException | NoRouteToHostException e) {
        throw unreachable(hp, "connection refused or no route (" + e.getMessage() + ")", e);
      } catch (IOException e) {
        throw unreachable(hp, timedOut.get() ? "timed out" : String.valueOf(e.getMessage()), e);
      }
      try {
        raw.setSoTimeout((int) (handshakeTimeout * 1000));
        SSLParameters params = new SSLParameters();
        // The strict client's offer, so the server negotiates what a Moat client would get.
        params.setProtocols(strict.protocols().toArray(new String[0]));
        params.setCipherSuites(strict.cipherSuites().toArray(new String[0]));
        if (!isIpLiteral(name)) {
          try {
            params.setServerNames(List.of(new SNIHostName(name)));
          } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "'" + Certs.sanitize(name, 100) + "' is not a valid server name: "
                + e.getMessage(), null, e);
          }
        }
        SSLSession session;
        if (proto.equals("sqlserver") && !tdsStrict) {
          InputStream in = raw.getInputStream();
          OutputStream rawOut = raw.getOutputStream();
          Tds.write(rawOut, Tds.PKT_PRELOGIN, Tds.clientPrelogin());
          int encryption = Tds.encryption(Tds.read(in).payload());
          if (encryption == Tds.ENCRYPT_NOT_SUP) {
            capture.refusal = new TlsRefusalException(Check.PLAINTEXT, hp.host(), hp.port(), proto, List.of(),
                "The server answered PRELOGIN with ENCRYPT_NOT_SUP: it cannot encrypt, so a login would "
                    + "travel in clear.",
                List.of("A Moat client stops here and sends nothing more (no LOGIN7)."),
                "Install a certificate on the SQL Server and enable encryption (Force Encryption).", null);
            return capture;
          }
          SSLEngine engine = context.createSSLEngine(name, hp.port());
          engine.setUseClientMode(true);
          engine.setSSLParameters(params);
          Tds.handshake(engine, in, rawOut);
          session = engine.getSession();
        } else {
          if (tdsStrict) {
            params.setApplicationProtocols(new String[] {"tds/8.0"});
          }
          SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, name, hp.port(), true);
          ssl.setSSLParameters(params);
          ssl.startHandshake();
          session = ssl.getSession();
          closeQuietly(ssl);
        }
        capture.tlsVersion = session.getProtocol();
        capture.cipherSuite = session.getCipherSuite();
        capture.chain = tm.chain();
      } catch (IOException e) {
        if (!tm.chain().isEmpty()) {
          // The server presented a chain, then the handshake failed later: still judge the chain.
          capture.chain = tm.chain();
          return capture;
        }
        if (timedOut.get() || e instanceof SocketTimeoutException) {
          throw unreachable(hp, "connected, but no complete TLS handshake within "
              + fmt(handshakeTimeout) + " s: the server does not answer, or does not speak TLS first", e);
        }
        TlsRefusalException refusal =
            TlsRefusals.explain(e, hp.host(), hp.port(), proto).orElse(null);
        if (refusal == null) {
          throw unreachable(hp, "TLS handshake failed: " + describe(e), e);
        }
        capture.refusal = refusal;
      } finally {
        deadline.cancel(false);
      }
    } finally {
      closeQuietly(raw);
      watchdog.shutdownNow();
    }
    return capture;
  }

  /** Name resolution, bounded by the connect timeout (the platform resolver may take far longer). */
  private InetSocketAddress resolve(HostPort hp) {
    java.util.concurrent.ExecutorService dns = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "moat-inspect-dns");
      t.setDaemon(true);
      return t;
    });
    try {
      return dns.submit(() -> new InetSocketAddress(hp.host(), hp.port()))
          .get((long) (connectTimeout * 1000), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw unreachable(hp, "no DNS answer for '" + Certs.sanitize(hp.host(), 100) + "' within "
          + fmt(connectTimeout) + " s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw unreachable(hp, "cannot resolve host: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(hp, "interrupted", e);
    } finally {
      dns.shutdownNow();
    }
  }

  private static String describe(IOException e) {
    if (e instanceof SSLException && e.getCause() != null && e.getCause().getMessage() != null) {
      return e.getMessage() + " (" + e.getCause().getMessage() + ")";
    }
    return e instanceof UnknownHostException ? "unknown host " + e.getMessage() : String.valueOf(e.getMessage());
  }

  private static CliException unreachable(HostPort hp, String why, Throwable cause) {
    return new CliException(ExitCodes.UNREACHABLE, "cannot inspect " + hp + ": " + why, null, cause);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing after failure; nothing to add
    }
  }

  static boolean isIpLiteral(String name) {
    return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static String fmt(double seconds) {
    return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
  }

  // ------------------------------------------------------------------ output

  private void printText(PrintWriter out, HostPort hp, String name, String proto, Capture c, Instant now,
      @Nullable TlsRefusalException refusal, @Nullable String acceptedPath) {
    out.println("moat inspect " + hp + " (" + proto + ")" + (name.equals(hp.host()) ? "" : " as " + name));
    if (c.tlsVersion != null) {
      out.println("  address       " + c.address);
      out.println("  TLS version   " + c.tlsVersion);
      out.println("  cipher suite  " + c.cipherSuite);
    } else if (c.refusal != null) {
      out.println("  handshake     failed before any certificate: " + c.refusal.check());
    } else {
      out.println("  handshake     failed after the server's certificate");
    }
    if (!c.chain.isEmpty()) {
      out.println("Peer chain, leaf first:");
      for (int i = 0; i < c.chain.size(); i++) {
        X509Certificate x = c.chain.get(i);
        long days = Certs.daysLeft(x, now);
        out.println("  " + i + " " + Certs.name(x.getSubjectX500Principal()));
        out.println("      issuer     " + Certs.name(x.getIssuerX500Principal()));
        List<String> sans = Certs.sans(x);
        out.println("      names      " + (sans.isEmpty() ? "(no subjectAltName)" : String.join(", ", sans)));
        out.println("      valid      " + x.getNotBefore().toInstant() + " to " + x.getNotAfter().toInstant()
            + " (" + (x.getNotBefore().toInstant().isAfter(now) ? "not valid yet"
                : days < 0 ? "expired " + (-days) + " days ago" : days + " days left") + ")");
        int bits = Certs.keyBits(x.getPublicKey());
        out.println("      key        " + Certs.keyType(x.getPublicKey()) + (bits > 0 ? " " + bits + " bits" : ""));
        out.println("      signature  " + Certs.sanitize(x.getSigAlgName(), 60));
        out.println("      pin        " + Certs.pin(x));
      }
    }
    if (refusal == null) {
      out.println("Verdict: ACCEPTED (" + acceptedPath + ")");
    } else {
      // The refusal's full text follows on stderr, after the one-line summary.
      out.println("Verdict: REFUSED [check: " + refusal.check() + "]");
    }
  }

  private Map<String, @Nullable Object> jsonReport(HostPort hp, String name, String proto, Capture c,
      Instant now, @Nullable TlsRefusalException refusal, @Nullable String acceptedPath) {
    List<@Nullable Object> chain = new ArrayList<>();
    for (int i = 0; i < c.chain.size(); i++) {
      X509Certificate x = c.chain.get(i);
      int bits = Certs.keyBits(x.getPublicKey());
      chain.add(Json.object(
          "index", i,
          "subject", Certs.name(x.getSubjectX500Principal()),
          "issuer", Certs.name(x.getIssuerX500Principal()),
          "sans", new ArrayList<@Nullable Object>(Certs.sans(x)),
          "not_before", x.getNotBefore().toInstant().toString(),
          "not_after", x.getNotAfter().toInstant().toString(),
          "days_left", Certs.daysLeft(x, now),
          "key_type", Certs.keyType(x.getPublicKey()),
          "key_bits", bits > 0 ? bits : null,
          "signature_algorithm", Certs.sanitize(x.getSigAlgName(), 60),
          "pin", Certs.pin(x)));
    }
    return Json.object(
        "host", hp.host(),
        "port", hp.port(),
        "address", c.address,
        "servername", name,
        "protocol", proto,
        "tls_version", c.tlsVersion,
        "cipher_suite", c.cipherSuite,
        "chain", chain,
        "verdict", refusal == null ? "ACCEPT" : "REFUSE",
        "check", refusal == null ? null : refusal.check().name(),
        "reason", refusal == null ? acceptedPath : refusal.reason(),
        "message", refusal == null ? null : refusal.getMessage(),
        "checked_at", now.toString());
  }

  /** HOST[:PORT] with IPv6 in brackets. */
  record HostPort(String host, int port) {
    static HostPort parse(String text, int defaultPort) {
      String t = text.strip();
      String host;
      String port = null;
      if (t.startsWith("[")) {
        int close = t.indexOf(']');
        if (close < 0) {
          throw bad(text, "missing ']' after an IPv6 address");
        }
        host = t.substring(1, close);
        String rest = t.substring(close + 1);
        if (!rest.isEmpty()) {
          if (!rest.startsWith(":")) {
            throw bad(text, "expected ':PORT' after ']'");
          }
          port = rest.substring(1);
        }
      } else if (t.indexOf(':') != t.lastIndexOf(':')) {
        host = t; // bare IPv6 literal, no port
      } else {
        int colon = t.indexOf(':');
        host = colon < 0 ? t : t.substring(0, colon);
        port = colon < 0 ? null : t.substring(colon + 1);
      }
      if (host.isEmpty() || host.chars().anyMatch(ch -> ch <= ' ' || ch > '~' || ch == '/' || ch == '@')) {
        throw bad(text, "not a host name or IP address");
      }
      int p = defaultPort;
      if (port != null) {
        try {
          p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
          throw bad(text, "port '" + Certs.sanitize(port, 20) + "' is not a number");
        }
        if (p < 1 || p > 65535) {
          throw bad(text, "port " + p + " is outside 1..65535");
        }
      }
      return new HostPort(host, p);
    }

    private static CliException bad(String text, String why) {
      return new CliException(ExitCodes.USAGE, "'" + Certs.sanitize(text, 100) + "': " + why);
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
