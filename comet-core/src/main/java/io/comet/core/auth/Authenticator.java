package io.comet.core.auth;

import io.comet.core.CometException;
import io.comet.core.ConnectRequest;
import io.comet.core.ErrorCode;
import io.comet.core.Names;
import io.comet.core.context.EngineContext;
import io.comet.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a connection's credential (client-protocol.md §4.4): a stored {@code users_auth} hash,
 * or an HS256 JWT signed with the CometQL password and the dev_id, not expired and not in
 * {@code revoked_tokens}. Every path ends in one {@link AuthResult}.
 */
public final class Authenticator {

    private final EngineContext ctx;

    /** An authenticator over the context's store, password and clock. */
    public Authenticator(EngineContext ctx) {
        this.ctx = ctx;
    }

    /** The outcome for {@code req}; never fails for a bad credential (that is {@link AuthResult#ANONYMOUS}). */
    public CompletableFuture<AuthResult> authenticate(ConnectRequest req) {
        String cred = req.credential();
        if (req.userId() <= 0 || cred == null || cred.isEmpty() || "undefined".equals(cred)) {
            return CompletableFuture.completedFuture(AuthResult.ANONYMOUS);
        }
        return Jwt.looksLikeJwt(cred) ? byJwt(req, cred) : byHash(req, cred);
    }

    /**
     * A JWT login issues no other credential: the original stored a hash for the user and echoed
     * it, which then authorized the user after the token expired (issue [8]); Comet echoes the
     * token itself, so whatever the client keeps expires with it (client-protocol.md §4.4).
     */
    private CompletableFuture<AuthResult> byJwt(ConnectRequest req, String token) {
        int devId = req.devId();
        long uid = verify(devId, token);
        if (uid != req.userId()) {
            return CompletableFuture.completedFuture(AuthResult.ANONYMOUS);
        }
        return ctx.store().isRevoked(devId, token)
                .thenApply(revoked -> revoked ? AuthResult.ANONYMOUS : new AuthResult(uid, token));
    }

    private CompletableFuture<AuthResult> byHash(ConnectRequest req, String cred) {
        if (!Names.isValidHash(cred)) {
            return CompletableFuture.completedFuture(AuthResult.ANONYMOUS);
        }
        return ctx.store().authHash(req.devId(), req.userId()).thenApply(h -> {
            // An empty stored hash never authorizes (recommended deviation, quirk Q28).
            if (h.isPresent() && !h.get().isEmpty() && MessageDigest.isEqual(
                    h.get().getBytes(StandardCharsets.UTF_8), cred.getBytes(StandardCharsets.UTF_8))) {
                return new AuthResult(req.userId(), h.get());
            }
            return AuthResult.ANONYMOUS;
        });
    }

    /** The user id of a valid, unexpired JWT of namespace {@code devId}, else 0 (revocation not checked). */
    public long verify(int devId, String token) {
        return Jwt.verify(token, ctx.config().password(), devId, ctx.nowSeconds());
    }

    /** Checks a token given to {@code revoked_tokens}: present and not longer than a JWT can be. */
    public static String checkToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `token` is required");
        }
        if (token.length() > Jwt.MAX_TOKEN_LENGTH) {
            throw new CometException(ErrorCode.OVERFLOW, "Token is too long");
        }
        return token;
    }

    /** Signs an HS256 JWT the way browsers present it ({@code user_id}, {@code exp}), with the configured password. */
    public String sign(int devId, long userId, long expUnixSeconds) {
        if (ctx.config().password() == null) {
            throw new IllegalStateException("no password configured");
        }
        return Jwt.sign(Json.object("user_id", userId, "exp", expUnixSeconds), ctx.config().password(), devId);
    }
}
