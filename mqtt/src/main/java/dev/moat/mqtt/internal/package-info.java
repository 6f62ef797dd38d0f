/**
 * Internal parts of {@code dev.moat.mqtt}: the socket factory bound to a policy, the connect-time
 * checks and the Paho client subclasses that run them. Not API; may change in any release.
 */
@NullMarked
package dev.moat.mqtt.internal;

import org.jspecify.annotations.NullMarked;
