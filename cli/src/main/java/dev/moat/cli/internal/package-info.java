/** The {@code moat} command's subcommands and helpers; not an API. */
@org.jspecify.annotations.NullMarked
package dev.moat.cli.internal;
