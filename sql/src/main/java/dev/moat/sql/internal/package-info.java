/** Internals of moat-sql: the policy registry and the JDBC URL parser. Not API. */
@NullMarked
package dev.moat.sql.internal;

import org.jspecify.annotations.NullMarked;
