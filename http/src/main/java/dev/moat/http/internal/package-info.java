/** Implementation of {@code dev.moat.http}; not API, may change in any release. */
@org.jspecify.annotations.NullMarked
package dev.moat.http.internal;
