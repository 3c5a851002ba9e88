package io.comet.transport;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.comet.core.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's working long-poll transport (see LONGPOLL.md): {@code POST {prefix}/lp/sesion=…&lp={lpid}},
 * body = JSON array of command texts, response = {@code \n}-separated JSON messages. One engine
 * {@link Session} per {@code lpid}, with the same semantics as a WebSocket connection; polls
 * only fetch what the session buffered (bounded by {@link WebConfig#longPollMaxQueued()}).
 */
final class LongPoll {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.longpoll");
    private static final Pattern LPID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private final ServerContext server;
    private final ConcurrentHashMap<String, LpSession> sessions = new ConcurrentHashMap<>();

    LongPoll(ServerContext server) {
        this.server = server;
    }

    int sessionCount() {
        return sessions.size();
    }

    LpSession session(String lpid) {
        return sessions.get(lpid);
    }

    /** Handles one poll; {@code rest} is the raw path after {@code /lp/}. */
    void poll(ChannelHandlerContext ctx, String rest, byte[] body, boolean keepAlive, HttpHandler.Meta meta) {
        ClientUrl.Result parsed = ClientUrl.parse(rest);
        if (parsed.error() != null) {
            ClientUrl.Error e = parsed.error();
            log.debug("long-poll URL error {} from {}", e.code(), ctx.channel().remoteAddress());
            write(ctx, keepAlive, List.of(e.message(server.engine().nowSeconds())), e.legacy());
            return;
        }
        ClientUrl url = parsed.url();
        if (!Origins.allowed(server.config().hosts(), meta.origin())) {
            log.info("long-poll from {} refused: Origin {} not allowed", ctx.channel().remoteAddress(), LogText.escape(meta.origin()));
            ClientUrl.Error e = new ClientUrl.Error(423, ClientUrl.E423, !url.legacy());
            write(ctx, keepAlive, List.of(e.message(server.engine().nowSeconds())), e.legacy());
            return;
        }
        String lpid = url.param("lp");
        if (lpid == null || !LPID.matcher(lpid).matches()) {
            HttpHandler.sendPlain(ctx, HttpResponseStatus.BAD_REQUEST, "lp: 16-64 chars of [A-Za-z0-9_-] expected\n");
            return;
        }
        List<String> commands = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
            Object json;
            try {
                json = Json.parse(text);
            } catch (IllegalArgumentException e) {
                json = null;
            }
            if (!(json instanceof List<?> list) || !list.stream().allMatch(o -> o instanceof String)) {
                HttpHandler.sendPlain(ctx, HttpResponseStatus.BAD_REQUEST, "body: a JSON array of command strings expected\n");
                return;
            }
            for (Object o : list) {
                commands.add((String) o);
            }
        }
        LpSession lp = sessions.get(lpid);
        if (lp == null || lp.ended) {
            LpSession fresh = new LpSession(lpid, url.legacy(), meta.remote());
            lp = sessions.compute(lpid, (k, cur) -> cur == null || cur.ended ? fresh : cur);
            if (lp == fresh) {
                ConnectRequest req = new ConnectRequest(url.devId(), url.userId(), url.credential(), url.uuid(),
                        url.apiMajor(), meta.userAgent(), meta.ip(), meta.origin(), meta.language());
                server.engine().connect(req, fresh).whenComplete((s, e) -> {
                    if (e != null) {
                        fresh.session.completeExceptionally(e);
                    } else {
                        fresh.session.complete(s);
                    }
                });
            }
        }
        LpSession target = lp;
        target.session.whenComplete((s, e) -> ctx.executor().execute(() -> {
            if (e != null) {
                log.warn("long-poll connect failed: {}", e.toString());
                target.end("connect failed");
                HttpHandler.sendPlain(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "connect failed\n");
                return;
            }
            target.pollArrived(ctx, keepAlive, s, commands);
        }));
    }

    /** Ends idle and over-age sessions; called periodically. */
    void sweep() {
        long now = System.nanoTime();
        long idle = server.config().longPollSessionTimeout().toNanos();
        long maxAge = TimeUnit.SECONDS.toNanos(server.config().maxUptimeSeconds());
        for (LpSession lp : sessions.values()) {
            String why = null;
            synchronized (lp) {
                if (!lp.ended && lp.parked == null && now - lp.lastResponse > idle) {
                    why = "no poll for " + TimeUnit.NANOSECONDS.toMillis(now - lp.lastResponse) + " ms";
                } else if (!lp.ended && maxAge > 0 && now - lp.created > maxAge) {
                    why = "maxUptime";
                }
            }
            if (why != null) {
                lp.end(why);
            }
        }
    }

    /** Ends every session (server stop). */
    void closeAll() {
        for (LpSession lp : sessions.values()) {
            lp.end("server stop");
        }
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, List<Message> messages, boolean legacy) {
        write(ctx, keepAlive, messages, legacy, null);
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, List<Message> messages, boolean legacy,
                       Session session) {
        ByteBuf body = ctx.alloc().buffer();
        boolean first = true;
        for (Message m : messages) {
            WireFormat.Encoded enc = WireFormat.encode(m, legacy, session);
            if (enc.payloadLength() > server.config().maxFramePayload()) {
                continue;
            }
            if (!first) {
                body.writeByte('\n');
            }
            first = false;
            enc.writePayload(body);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        resp.headers().set("Content-Type", "text/plain; charset=UTF-8")
                .set("Access-Control-Allow-Origin", "*")
                .set("Cache-Control", "no-store")
                .set("Content-Length", body.readableBytes())
                .set("Connection", keepAlive ? "keep-alive" : "close");
        if (keepAlive) {
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One parked poll request. */
    private static final class Poll {
        final ChannelHandlerContext ctx;
        final boolean keepAlive;
        ScheduledFuture<?> timeout;
        /** Answered (guarded by the session's lock). */
        boolean done;

        Poll(ChannelHandlerContext ctx, boolean keepAlive) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
        }
    }

    /** One long-poll connection: an {@link Outbound} buffering messages between polls. */
    final class LpSession implements Outbound {
        final String lpid;
        final boolean legacy;
        final CompletableFuture<Session> session = new CompletableFuture<>();
        final BadInputLog bad;
        final long created = System.nanoTime();
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        private Poll parked;
        private boolean respondScheduled;
        private long lastResponse = System.nanoTime();
        private volatile boolean ended;

        LpSession(String lpid, boolean legacy, String remote) {
            this.lpid = lpid;
            this.legacy = legacy;
            this.bad = new BadInputLog.Named("long-poll " + remote + " lp=" + lpid);
        }

        boolean isEnded() {
            return ended;
        }

        synchronized boolean hasParkedPoll() {
            return parked != null;
        }

        synchronized int queued() {
            return queue.size();
        }

        @Override
        public boolean send(Message message) {
            Poll p = null;
            boolean overflow = false;
            synchronized (this) {
                if (ended) {
                    return false;
                }
                if (queue.size() >= server.config().longPollMaxQueued()) {
                    overflow = true;
                } else {
                    queue.add(message);
                    if (parked != null && !respondScheduled) {
                        respondScheduled = true;
                        p = parked;
                    }
                }
            }
            if (overflow) {
                log.warn("long-poll session {} has {} undelivered messages (longPollMaxQueued); ending it", LogText.escape(lpid),
                        server.config().longPollMaxQueued());
                end("queue overflow");
                return false;
            }
            if (p != null) {
                Poll poll = p;
                poll.ctx.executor().execute(() -> respond(poll));
            }
            return true;
        }

        /** Runs on the poll's event loop once the session exists. */
        void pollArrived(ChannelHandlerContext ctx, boolean keepAlive, Session s, List<String> commands) {
            boolean disconnect = false;
            for (String c : commands) {
                if (server.commands().execute(s, c, bad) == Commands.Outcome.DISCONNECT) {
                    disconnect = true;
                    break;
                }
            }
            Poll poll = new Poll(ctx, keepAlive);
            Poll old;
            boolean now;
            synchronized (this) {
                old = parked;
                if (old != null) {
                    old.done = true;
                }
                if (ended) {
                    parked = null;
                    now = true;
                } else {
                    parked = poll;
                    now = !queue.isEmpty() || disconnect;
                    respondScheduled = now;
                }
            }
            if (old != null) {
                respondEmpty(old); // one outstanding poll per lpid: the newer one wins
            }
            if (now) {
                respond(poll);
                if (disconnect) {
                    end("disconnect after a bad command");
                }
                return;
            }
            poll.timeout = ctx.executor().schedule(() -> respond(poll),
                    server.config().longPollTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ctx.channel().closeFuture().addListener(f -> {
                synchronized (this) {
                    if (parked == poll) {
                        parked = null;
                        respondScheduled = false;
                        lastResponse = System.nanoTime();
                    }
                }
            });
        }

        private void respond(Poll poll) {
            List<Message> out;
            synchronized (this) {
                if (poll.done) {
                    return;
                }
                poll.done = true;
                if (parked == poll) {
                    parked = null;
                    respondScheduled = false;
                }
                out = new ArrayList<>(queue);
                queue.clear();
                lastResponse = System.nanoTime();
            }
            if (poll.timeout != null) {
                poll.timeout.cancel(false);
            }
            if (poll.ctx.channel().isActive()) {
                write(poll.ctx, poll.keepAlive, out, legacy, session.getNow(null));
            }
        }

        private void respondEmpty(Poll poll) {
            if (poll.timeout != null) {
                poll.timeout.cancel(false);
            }
            poll.ctx.executor().execute(() -> {
                if (poll.ctx.channel().isActive()) {
                    write(poll.ctx, poll.keepAlive, List.of(), legacy);
                }
            });
        }

        /** Ends the session: answers a parked poll empty, forgets the lpid, closes the engine session. */
        void end(String why) {
            Poll p;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                p = parked;
                parked = null;
                if (p != null) {
                    p.done = true;
                }
                queue.clear();
            }
            sessions.remove(lpid, this);
            log.debug("long-poll session {} ended: {}", LogText.escape(lpid), why);
            if (p != null) {
                respondEmpty(p);
            }
            // never synchronously: end() can run inside an engine callback (send() during a
            // private delivery), and closing the session re-enters the engine's user map
            session.thenAcceptAsync(Session::close);
        }

        /** Server-side abrupt close (kick): the session ends, the next poll starts a new one. */
        @Override
        public void close() {
            end("closed by the server");
        }
    }
}
