package io.comet.transport;

import io.comet.core.ConnectRequest;
import io.comet.core.Message;
import io.comet.core.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upgraded WebSocket connection, and the only handler its pipeline holds: connects the
 * session to the engine, turns the messages its {@link WebSocketDecoder} base decodes from the
 * socket's bytes into {@link Commands}, and applies the closing rules of client-protocol.md §1.7
 * — a client Close frame is answered by dropping TCP without a Close frame, and every
 * server-initiated close is an abrupt TCP close. Text and binary frames are treated alike
 * (§1.5); payloads must be valid UTF-8. Frames to the client are written pre-encoded from this
 * handler's context ({@link ChannelOutbound#out()}), straight to the socket.
 */
final class WebSocketHandler extends WebSocketDecoder implements BadInputLog {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.ws");
    /** Commands accepted before the session is ready (auth lookup in flight). */
    private static final int MAX_EARLY_COMMANDS = 64;

    private final ServerContext server;
    private final ConnectRequest request;
    /**
     * When the connection was upgraded, in whole seconds of {@link System#nanoTime()} rounded up
     * (for {@code maxUptime}; an int, not a long: this object exists once per connection and
     * stays at 64 bytes).
     */
    private final int upSinceSeconds = (int) -Math.floorDiv(-System.nanoTime(), 1_000_000_000L);
    /** Made on the first command that arrives before the session is ready (most connections never need it). */
    private ArrayDeque<String> early;
    private ChannelOutbound outbound;
    private Session session;
    /** Incidents logged through {@link #bad(String)} (saturates; races only affect which level logs). */
    private byte badCount;
    private ScheduledFuture<?> ping;
    /** A command asked for a disconnect: later frames are ignored while the error frame drains. */
    private boolean closing;
    /** Counted in the server's open WebSockets (until channelInactive). */
    private boolean counted;

    WebSocketHandler(ServerContext server, ConnectRequest request) {
        this.server = server;
        this.request = request;
    }

    ChannelOutbound outbound() {
        return outbound;
    }

    /**
     * True once {@code maxSeconds} have surely passed since the upgrade at {@code nowNanos}
     * ({@link System#nanoTime()}): at the latest a second after that.
     */
    boolean olderThan(long maxSeconds, long nowNanos) {
        int now = (int) Math.floorDiv(nowNanos, 1_000_000_000L);
        return now - upSinceSeconds >= maxSeconds;
    }

    /** This connection's bad-input log: it names the connection ({@code ws <address>}) only when it logs. */
    @Override
    public void bad(String what) {
        int n = badCount < Byte.MAX_VALUE ? ++badCount : badCount;
        BadInputLog.log(this, n, what);
    }

    @Override
    public String toString() {
        ChannelOutbound o = outbound;
        return "ws " + (o == null ? "?" : o.channel().remoteAddress());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        outbound = new ChannelOutbound(ctx, request.apiMajor() < 4, server.writer(ctx.channel().eventLoop()));
        if (ctx.channel().isActive()) { // else channelInactive already went by: nothing to count
            counted = true;
            server.webSocketOpened();
        }
        CompletableFuture<Session> f = server.engine().connect(request, outbound);
        if (f.isDone() && ctx.executor().inEventLoop()) {
            // anonymous and cached sessions: connected at once, without a task per connection
            f.whenComplete((s, e) -> connected(ctx, s, e));
        } else {
            f.whenComplete((s, e) -> ctx.executor().execute(() -> connected(ctx, s, e)));
        }
        int every = server.config().pingIntervalSeconds();
        if (every > 0) {
            ping = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(pingFrame()),
                    every, every, TimeUnit.SECONDS);
        }
    }

    private void connected(ChannelHandlerContext ctx, Session s, Throwable e) {
        if (e != null) {
            log.warn("connect of {} failed: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return;
        }
        session = s;
        outbound.attach(s);
        if (!ctx.channel().isActive()) {
            s.close();
            return;
        }
        String cmd;
        while (early != null && (cmd = early.poll()) != null && ctx.channel().isActive()) {
            execute(ctx, cmd);
        }
    }

    @Override
    long frameTimeoutNanos() {
        return server.config().limits().frameTimeout().toNanos();
    }

    @Override
    int maxPayload() {
        return server.config().maxFramePayload();
    }

    @Override
    void onMessage(ChannelHandlerContext ctx, ByteBuf buf, int index, int length) {
        String text = utf8(buf, index, length);
        if (text == null) {
            bad("frame with invalid UTF-8 (" + length + " bytes)");
            outbound.send(Message.error(server.engine().nowSeconds(), Commands.BAD_UTF8, "number_messages", -1));
        } else if (session == null) {
            if (early == null) {
                early = new ArrayDeque<>(4);
            }
            if (early.size() >= MAX_EARLY_COMMANDS) {
                bad("too many commands before the session was ready, disconnecting");
                ctx.close();
            } else {
                early.add(text);
            }
        } else {
            execute(ctx, text);
        }
    }

    @Override
    void onClose(ChannelHandlerContext ctx) {
        // §1.7: drop TCP, never answer with a Close frame (the v4 client's restart() needs wasClean=false)
        ctx.close();
    }

    @Override
    void onBadFrame(ChannelHandlerContext ctx, String what) {
        bad(what);
    }

    private void execute(ChannelHandlerContext ctx, String text) {
        if (closing) {
            return;
        }
        if (server.commands().execute(session, text, this) == Commands.Outcome.DISCONNECT) {
            closing = true;
            outbound.closeAfterPending(); // after the error frame queued on the outbound is written and flushed
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            server.webSocketClosed();
        }
        outbound.markClosed();
        if (ping != null) {
            ping.cancel(false);
        }
        if (session != null) {
            session.close();
        }
        super.channelInactive(ctx); // releases the decoder's buffers, passes the event on
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!NetErrors.logExpected(log, ctx.channel().remoteAddress(), cause)) {
            bad("connection error: " + cause); // one line, no stack trace
        }
        ctx.close();
    }

    /** Strict UTF-8 decode of {@code buf[index, index + length)}; {@code null} if the bytes are not valid UTF-8. */
    static String utf8(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return "";
        }
        ByteBuffer nio = buf.nioBufferCount() == 1 ? buf.nioBuffer(index, length)
                : ByteBuffer.wrap(ByteBufUtil.getBytes(buf, index, length));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(nio).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
