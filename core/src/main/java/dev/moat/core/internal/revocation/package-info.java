/** Revocation checking: stapled OCSP, OCSP, CRL, and the shared response cache. Not API. */
@NullMarked
package dev.moat.core.internal.revocation;

import org.jspecify.annotations.NullMarked;
