/**
 * Runnable examples: one small program per protocol module ({@link
 * dev.moat.examples.CoreSocketExample} for core's socket factory), and {@link
 * dev.moat.examples.Demo}, which runs the whole bad-TLS catalog against local servers and prints a
 * table of what Moat accepted and refused. Test servers and certificates come from testkit; never
 * deploy this module.
 */
@org.jspecify.annotations.NullMarked
package dev.moat.examples;
