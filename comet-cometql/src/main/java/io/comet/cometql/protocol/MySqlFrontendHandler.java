package io.comet.cometql.protocol;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.protocol.command.CommandResponse;
import io.comet.cometql.protocol.command.MySqlCommandExecutorFactory;
import io.comet.cometql.protocol.packet.MySqlPacket;
import io.comet.cometql.protocol.packet.command.MySqlCommandType;
import io.comet.cometql.protocol.packet.generic.MySqlErrPacket;
import io.comet.cometql.protocol.packet.generic.MySqlOkPacket;
import io.comet.cometql.protocol.packet.handshake.MySqlAuthSwitchRequestPacket;
import io.comet.cometql.protocol.packet.handshake.MySqlHandshakeResponse41Packet;
import io.comet.cometql.protocol.packet.handshake.MySqlHandshakeV10Packet;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.cometql.table.QlError;
import io.comet.cometql.table.QlSession;
import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CometQL connection's protocol behaviour: sends the handshake, runs the authentication
 * phases (cometql.md §1.2–1.5), then hands each command to its executor. The channel runs with
 * autoRead off behind a {@link io.netty.handler.flow.FlowControlHandler}: the next packet is
 * read only after the previous command's response was written, so exactly one command runs at a
 * time. Every inbound buffer is released here.
 */
public final class MySqlFrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MySqlFrontendHandler.class);

    /** The connection's phase. */
    enum Phase { AWAIT_HANDSHAKE_RESPONSE, AWAIT_AUTH_SWITCH_RESPONSE, COMMAND, CLOSING }

    private final CometEngine engine;
    private final CometQlConfig config;
    private final CometQlExecutor executor;
    private final CometQlGuards guards;
    private final AuthThrottle throttle;
    /** Counted in {@link CometQlGuards#unauthenticated()} until the login ends (either way). */
    private boolean unauthenticated = true;
    private io.netty.util.concurrent.ScheduledFuture<?> handshakeTimer;
    private final long connectionId;
    private final byte[] scramble = NativePassword.newScramble();
    private Phase phase = Phase.AWAIT_HANDSHAKE_RESPONSE;
    private MySqlHandshakeResponse41Packet login;
    private CometQlConnection connection;
    private boolean countedOnline;
    /** CLIENT_SSL is offered (the listener has a certificate). */
    private final boolean tlsOffered;
    /** The client sent an SSLRequest: everything after it is encrypted. */
    private boolean secured;

    /** A handler for one new connection of a plain listener. */
    public MySqlFrontendHandler(CometEngine engine, CometQlConfig config, CometQlExecutor executor,
                                CometQlGuards guards, long connectionId) {
        this(engine, config, executor, guards, connectionId, false);
    }

    /** A handler for one new connection; {@code tlsOffered} when the listener upgrades SSLRequests. */
    public MySqlFrontendHandler(CometEngine engine, CometQlConfig config, CometQlExecutor executor,
                                CometQlGuards guards, long connectionId, boolean tlsOffered) {
        this.tlsOffered = tlsOffered;
        this.engine = engine;
        this.config = config;
        this.executor = executor;
        this.guards = guards;
        this.throttle = guards.throttle();
        this.connectionId = connectionId;
    }

    /** The current phase (tests). */
    Phase phase() {
        return phase;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = guards.limits().handshakeTimeout().toNanos();
        handshakeTimer = ctx.executor().schedule(() -> {
            if (phase != Phase.COMMAND && ctx.channel().isActive()) {
                log.debug("CometQL login from {} not finished within {} ms, closing", address(ctx),
                        TimeUnit.NANOSECONDS.toMillis(timeout));
                ctx.close();
            }
        }, timeout, TimeUnit.NANOSECONDS);
        ctx.writeAndFlush(new MySqlHandshakeV10Packet(config.serverVersion(), connectionId, scramble,
                MySqlConstants.SERVER_CAPABILITIES | (tlsOffered ? MySqlConstants.CLIENT_SSL : 0)))
                .addListener(readNext(ctx));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.CLOSING;
        loginEnded(ctx);
        if (countedOnline) {
            countedOnline = false;
            engine.stats().backendDisconnected();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            log.trace("read {} in phase {}", msg, phase);
            if (phase == Phase.CLOSING) {
                return;
            }
            if (msg instanceof OversizePacket) {
                if (phase == Phase.COMMAND) {
                    respond(ctx, CommandResponse.error(new QlError(11, "Data is too long")));
                } else {
                    fail(ctx, "Authentication failure", false);
                }
                return;
            }
            if (!(msg instanceof ByteBuf)) {
                return;
            }
            MySqlPacketPayload payload = new MySqlPacketPayload((ByteBuf) msg);
            switch (phase) {
                case AWAIT_HANDSHAKE_RESPONSE:
                    onHandshakeResponse(ctx, payload);
                    break;
                case AWAIT_AUTH_SWITCH_RESPONSE:
                    verify(ctx, payload.readBytesEof());
                    break;
                case COMMAND:
                    onCommand(ctx, payload);
                    break;
                default:
                    break;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHandshakeResponse(ChannelHandlerContext ctx, MySqlPacketPayload payload) {
        try {
            login = new MySqlHandshakeResponse41Packet(payload);
        } catch (RuntimeException e) {
            log.debug("malformed handshake response from {}: {}", address(ctx), e.toString());
            fail(ctx, "Authentication failure", false);
            return;
        }
        if (login.isSslRequest()) {
            if (!tlsOffered || secured) {
                fail(ctx, "Authentication failure, SSL is not enabled on this server", false);
                return;
            }
            secured = true; // SslRequestUpgrade put the SslHandler in place; the login comes encrypted
            login = null;
            ctx.executor().execute(ctx::read);
            return;
        }
        if (config.requireTls() && !secured) {
            phase = Phase.CLOSING;
            log.info("CometQL login from {} refused: require_tls and the connection is not encrypted", address(ctx));
            ctx.writeAndFlush(new MySqlErrPacket(3159, "Connections using insecure transport are prohibited"
                    + " while --require_secure_transport=ON.")).addListener(f -> ctx.close());
            return;
        }
        byte[] auth = login.authResponse();
        boolean nativePlugin = login.pluginName() == null || MySqlConstants.NATIVE_PASSWORD.equals(login.pluginName());
        boolean canSwitch = (login.capabilities() & MySqlConstants.CLIENT_PLUGIN_AUTH) != 0;
        if (auth.length == 0 && login.user().startsWith("haproxy_check")) {
            finishLogin(ctx, false);
            return;
        }
        if (nativePlugin && (auth.length == 20 || auth.length == 0)) {
            verify(ctx, auth);
        } else if (canSwitch) {
            phase = Phase.AWAIT_AUTH_SWITCH_RESPONSE;
            ctx.writeAndFlush(new MySqlAuthSwitchRequestPacket(scramble)).addListener(readNext(ctx));
        } else {
            fail(ctx, "Authentication failure, authDataLen!=20", true);
        }
    }

    /**
     * Checks the password once the shared throttle gives this source (and, after failures, the
     * account) a token: at once, after a wait, or never (refused unchecked).
     */
    private void verify(ChannelHandlerContext ctx, byte[] auth) {
        String addr = address(ctx);
        long wait = throttle.acquire(addr, login.user());
        if (wait == AuthThrottle.REFUSED) {
            fail(ctx, "Authentication failure, too many attempts: try later", false);
        } else if (wait > 0) {
            phase = Phase.CLOSING; // nothing more is read while the check waits
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    check(ctx, auth);
                }
            }, wait, TimeUnit.NANOSECONDS);
        } else {
            check(ctx, auth);
        }
    }

    private void check(ChannelHandlerContext ctx, byte[] auth) {
        String password = config.password() != null ? config.password() : engine.config().password();
        if (password == null) {
            fail(ctx, "Authentication failure", true);
            return;
        }
        if (auth.length == 0) {
            if (password.isEmpty() && config.allowEmptyPassword()) {
                finishLogin(ctx, true);
            } else {
                fail(ctx, "Authentication failure, authDataLen!=20", true);
            }
            return;
        }
        if (auth.length != 20) {
            fail(ctx, "Authentication failure, authDataLen!=20", true);
            return;
        }
        if (!NativePassword.matches(password, scramble, auth)) {
            fail(ctx, "Authentication failure", true);
            return;
        }
        finishLogin(ctx, true);
    }

    private void finishLogin(ChannelHandlerContext ctx, boolean authenticated) {
        int devId = authenticated ? namespaceOf(login.user()) : 0;
        if (devId < 0) {
            fail(ctx, "Authentication failure", true);
            return;
        }
        QlSession session = new QlSession(connectionId, login.user(), address(ctx), devId, null);
        if (login.database() != null) {
            try {
                executor.selectDatabase(session, login.database());
            } catch (CometException e) {
                QlError err = QlError.of(e);
                phase = Phase.CLOSING;
                ctx.writeAndFlush(new MySqlErrPacket(err.code(), err.message())).addListener(f -> ctx.close());
                return;
            }
        }
        if (authenticated) {
            throttle.success(address(ctx), login.user());
        }
        loginEnded(ctx);
        connection = new CometQlConnection(engine, config, executor, session, login.capabilities(), authenticated);
        phase = Phase.COMMAND;
        countedOnline = true;
        engine.stats().backendConnected();
        log.debug("CometQL login of '{}' (dev {}) from {}", login.user(), devId, address(ctx));
        ctx.writeAndFlush(MySqlOkPacket.PLAIN).addListener(readNext(ctx));
    }

    /** {@code root}/{@code 0} → 0, decimal → that dev_id, else -1 (or 0 when configured). */
    private int namespaceOf(String user) {
        if (user.equals("root") || user.equals("0")) {
            return 0;
        }
        if (!user.isEmpty() && user.length() <= 9 && user.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(user);
            return n < engine.config().devIndexSize() ? n : -1;
        }
        if (config.mapUnknownUsersToNamespaceZero()) {
            log.warn("CometQL user name '{}' is neither root nor a dev_id: using namespace 0", user);
            return 0;
        }
        return -1;
    }

    private void fail(ChannelHandlerContext ctx, String message, boolean checked) {
        phase = Phase.CLOSING;
        String addr = address(ctx);
        if (checked) {
            throttle.failure(addr, login == null ? null : login.user());
        }
        log.debug("CometQL login failed from {}: {}", addr, message);
        ctx.writeAndFlush(new MySqlErrPacket(16, message)).addListener(f -> ctx.close());
    }

    /** The login phase is over (logged in, refused or gone): no longer counted as unauthenticated. */
    private void loginEnded(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
        if (unauthenticated) {
            unauthenticated = false;
            guards.unauthenticated().close(address(ctx));
        }
    }

    private void onCommand(ChannelHandlerContext ctx, MySqlPacketPayload payload) {
        CompletableFuture<CommandResponse> response;
        try {
            MySqlCommandType type = payload.readableBytes() == 0 ? MySqlCommandType.UNSUPPORTED
                    : MySqlCommandType.of(payload.readInt1());
            response = MySqlCommandExecutorFactory.newInstance(type, payload, connection).execute();
        } catch (MySqlProtocolException e) {
            log.debug("malformed command: {}", e.getMessage());
            response = CommandResponse.error(new QlError(3, "Malformed packet"));
        } catch (RuntimeException e) {
            response = CommandResponse.error(QlError.of(e));
        }
        respond(ctx, response);
    }

    private void respond(ChannelHandlerContext ctx, CompletableFuture<CommandResponse> response) {
        response.whenComplete((r, e) -> {
            CommandResponse res = e == null ? r : new CommandResponse(
                    java.util.List.of(errPacket(QlError.of(e))), false);
            if (ctx.executor().inEventLoop()) {
                write(ctx, res);
            } else {
                ctx.executor().execute(() -> write(ctx, res));
            }
        });
    }

    private static MySqlPacket errPacket(QlError e) {
        return new MySqlErrPacket(e.code(), e.message());
    }

    private void write(ChannelHandlerContext ctx, CommandResponse res) {
        if (!ctx.channel().isActive()) {
            return;
        }
        for (MySqlPacket p : res.packets()) {
            ctx.write(p).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        if (res.close()) {
            phase = Phase.CLOSING;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
            return;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(readNext(ctx));
    }

    /**
     * Asks for the next packet once the response is written (one command at a time). The read
     * is requested from a fresh event-loop task: a demand raised inside the current read cycle
     * would be cleared by FlowControlHandler's channelReadComplete.
     */
    private static ChannelFutureListener readNext(ChannelHandlerContext ctx) {
        return f -> {
            if (f.isSuccess()) {
                ctx.executor().execute(ctx::read);
            } else {
                // handled here: fired onwards it would reach the pipeline's tail, which logs a stack trace
                ctx.pipeline().get(MySqlFrontendHandler.class).exceptionCaught(ctx, f.cause());
            }
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            // reset, broken pipe, closed, a refused TLS handshake: one line, no stack trace
            log.debug("CometQL connection {} from {}: {}", connectionId, address(ctx), cause.toString());
        } else if (ctx.channel().isActive()) {
            log.warn("CometQL connection {} from {} error", connectionId, address(ctx), cause);
        }
        ctx.close();
    }

    private static String address(ChannelHandlerContext ctx) {
        SocketAddress a = ctx.channel().remoteAddress();
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            return i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        }
        return String.valueOf(a);
    }
}
