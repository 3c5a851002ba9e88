package io.comet.core.engine;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.core.auth.AuthResult;
import io.comet.core.auth.Authenticator;
import io.comet.core.context.EngineContext;
import io.comet.core.json.Json;
import io.comet.core.presence.Presence;
import io.comet.core.privatemsg.PrivateDelivery;
import io.comet.core.session.SessionRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser connection's life: authenticate, register, serverInfo, offline-queue replay,
 * presence; and on close, leave every pipe and update presence (client-protocol.md §1.6, §4.4, §4.7).
 */
final class Connections {

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.engine");

    private final EngineContext ctx;
    private final Authenticator auth;
    private final SessionRegistry registry;
    private final PrivateDelivery privates;
    private final Presence presence;
    private final Subscriptions subscriptions;
    /** Every session's close hook: one instance, not a method reference made per session. */
    private final Consumer<Session> onClose = this::disconnect;

    Connections(EngineContext ctx, Authenticator auth, SessionRegistry registry, PrivateDelivery privates,
                Presence presence, Subscriptions subscriptions) {
        this.ctx = ctx;
        this.auth = auth;
        this.registry = registry;
        this.privates = privates;
        this.presence = presence;
        this.subscriptions = subscriptions;
    }

    CompletableFuture<Session> connect(ConnectRequest request, Outbound outbound) {
        ConnectRequest req = registry.normalize(request);
        return auth.authenticate(req).handle((a, err) -> {
            if (err != null) {
                log.warn("auth lookup failed for user {} (dev {}), connecting anonymous: {}", req.userId(), req.devId(),
                        err.toString());
                return AuthResult.ANONYMOUS;
            }
            return a;
        }).thenCompose(a -> register(req, outbound, a));
    }

    private CompletableFuture<Session> register(ConnectRequest req, Outbound outbound, AuthResult a) {
        Session session = registry.open(req, a.userId(), outbound, onClose);
        Map<String, Object> extra = Json.object("authorized", a.authorized(), "server", ctx.config().serverName());
        String echo = a.authorized() && ctx.config().echoAuthHash() ? a.echo() : "";
        session.send(Message.of(CometEngine.SYS_PIPE, "serverInfo", echo, null, null, ctx.nowSeconds(), false, extra));
        if (!a.authorized()) {
            if (req.userId() != 0) {
                ctx.stats().browserAuthFailed(); // credentials given and refused (metrics: comet_auth_failures{door="browser"})
            }
            return CompletableFuture.completedFuture(session);
        }
        PrivateDelivery.Attached at = privates.attach(session);
        if (at.first()) {
            presence.firstSession(req.devId(), a.userId());
        }
        return at.replayed().thenApply(v -> session);
    }

    private void disconnect(Session session) {
        registry.remove(session);
        if (session.isAuthorized() && registry.removeFromUser(session)) {
            presence.lastSession(session.devId(), session.userId());
        }
        subscriptions.leaveAll(session);
    }
}
