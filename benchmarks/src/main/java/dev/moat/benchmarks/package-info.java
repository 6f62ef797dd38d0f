/**
 * JMH benchmarks of what Moat's strictness costs, each against a baseline measured in the same run.
 * Run with {@code benchmarks/run.sh}; never part of the test build.
 */
@NullMarked
package dev.moat.benchmarks;

import org.jspecify.annotations.NullMarked;
