/** Moat core internals: not API, may change in any release. */
@NullMarked
package dev.moat.core.internal;

import org.jspecify.annotations.NullMarked;
