/** Implementation details of {@code dev.moat.amqp}; not API, may change in any release. */
@NullMarked
package dev.moat.amqp.internal;

import org.jspecify.annotations.NullMarked;
