/** Authentication of browser connections: stored hashes, HS256 JWT, revocation. */
package io.comet.core.auth;
