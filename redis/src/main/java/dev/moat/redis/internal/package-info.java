/** Implementation of {@link dev.moat.redis.LettuceTls}; not API. */
@NullMarked
package dev.moat.redis.internal;

import org.jspecify.annotations.NullMarked;
