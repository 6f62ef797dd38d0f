/**
 * Test support for Moat and its users: an in-memory PKI with every kind of bad certificate ({@link
 * dev.moat.testkit.TestPki}), the bad-TLS scenario catalog every protocol module runs ({@link
 * dev.moat.testkit.BadTls}), and loopback TLS servers ({@link dev.moat.testkit.TlsTestServer}).
 *
 * <pre>{@code
 * for (Scenario scenario : BadTls.catalog()) {
 *   try (TlsTestServer server = TlsTestServer.start(scenario)) {
 *     // connect a Moat client with scenario.policy(); expect scenario.expectedCheck()
 *   }
 * }
 * }</pre>
 *
 * <p><b>Security:</b> loading this package's entry classes re-enables TLS 1.0 and 1.1 in the JVM's
 * JSSE so the test server can play legacy servers. Use it in tests only.
 */
@NullMarked
package dev.moat.testkit;

import org.jspecify.annotations.NullMarked;
