/**
 * Implementation details of {@code moat-testkit}: key generation, key managers, the legacy-TLS
 * switch. Not API; may change in any release.
 */
@NullMarked
package dev.moat.testkit.internal;

import org.jspecify.annotations.NullMarked;
