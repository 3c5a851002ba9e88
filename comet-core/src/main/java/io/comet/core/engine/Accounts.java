package io.comet.core.engine;

import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.Names;
import io.comet.core.auth.Authenticator;
import io.comet.core.broker.Broker;
import io.comet.core.context.EngineContext;
import io.comet.core.store.QueuedMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the backend keeps about users: {@code users_auth} hashes (deleting one kicks the user
 * on every node), {@code revoked_tokens} and {@code users_data} (docs/cometql.md §3.5, §3.8, §3.9).
 */
public final class Accounts {

    private final EngineContext ctx;
    private final Authenticator auth;
    private final Broker broker;

    Accounts(EngineContext ctx, Authenticator auth, Broker broker) {
        this.ctx = ctx;
        this.auth = auth;
        this.broker = broker;
    }

    /** {@code INSERT INTO users_auth}; durable when completed. */
    public CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        ctx.rules().checkDev(devId);
        Names.checkUserId(userId, false);
        Names.checkHash(hash);
        return ctx.store().putAuthHash(devId, userId, hash);
    }

    /** Deletes a user's hash and abruptly closes the user's connections on every node (§4.4). */
    public CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        return ctx.store().deleteAuthHash(devId, userId).thenCompose(v -> broker.kick(devId, userId)).thenApply(n -> null);
    }

    /** Revokes a JWT; a valid token of this namespace also loses its user's hash and connections (§3.9). */
    public CompletableFuture<Void> revokeToken(int devId, String token) {
        ctx.rules().checkDev(devId);
        Authenticator.checkToken(token);
        long uid = auth.verify(devId, token);
        CompletableFuture<Void> f = ctx.store().revoke(devId, token);
        return uid > 0 ? f.thenCompose(v -> deleteAuthHash(devId, uid)) : f;
    }

    /** Upserts a user's free-form data ({@code INSERT INTO users_data}). */
    public CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        ctx.rules().checkDev(devId);
        Names.checkUserId(userId, false);
        if (data == null) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `data` is required");
        }
        ctx.rules().checkText(data);
        return ctx.store().putUserData(devId, userId, data);
    }

    /** The stored hash of a user. */
    public CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return ctx.store().authHash(devId, userId);
    }

    /** Un-revokes a token. */
    public CompletableFuture<Void> unrevokeToken(int devId, String token) {
        return ctx.store().unrevoke(devId, token);
    }

    /** Every revoked token of a namespace. */
    public CompletableFuture<List<String>> revokedTokens(int devId) {
        return ctx.store().revokedTokens(devId);
    }

    /** True if the token is revoked. */
    public CompletableFuture<Boolean> isRevoked(int devId, String token) {
        return ctx.store().isRevoked(devId, token);
    }

    /** Signs an HS256 JWT the way browsers present it ({@code user_id}, {@code exp}), with the configured password. */
    public String signJwt(int devId, long userId, long expUnixSeconds) {
        return auth.sign(devId, userId, expUnixSeconds);
    }

    /** A user's data text, if any. */
    public CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return ctx.store().userData(devId, userId);
    }

    /** Deletes a user's data. */
    public CompletableFuture<Void> deleteUserData(int devId, long userId) {
        return ctx.store().deleteUserData(devId, userId);
    }

    /** Queued private messages of a user, oldest first ({@code SELECT FROM users_messages}). */
    public CompletableFuture<List<QueuedMessage>> queuedMessages(int devId, long userId) {
        return ctx.store().queued(devId, userId, ctx.config().maxQueuedMessagesPerUser());
    }

    /** Deletes a user's whole offline queue. */
    public CompletableFuture<Void> clearQueue(int devId, long userId) {
        return ctx.store().clearQueue(devId, userId);
    }
}
