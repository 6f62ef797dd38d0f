/**
 * The {@code moat} command: inspect a TLS server, print {@code sha256/} pins, verify certificate
 * chains with Moat's strict pipeline. Run it with {@code bin/moat} or {@code java -jar
 * moat-cli-<version>-all.jar}; see {@link dev.moat.cli.Moat}.
 */
@org.jspecify.annotations.NullMarked
package dev.moat.cli;
