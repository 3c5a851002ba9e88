package io.comet.transport;

import io.comet.core.engine.CometEngine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.comet.tls.PlainTextExposure;
import io.comet.tls.ServerTls;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser-facing server: HTTP, WebSocket and long-poll on one port, wire-compatible with
 * the original {@code CometServerApi.js} (client-protocol.md). Thin: every rule lives in the
 * {@link CometEngine}.
 *
 * <pre>{@code
 * try (CometEngine engine = CometEngine.builder().build();
 *      CometWebServer web = CometWebServer.builder().engine(engine)
 *              .config(WebConfig.builder().port(0).build()).build()) {
 *     web.start().join();
 *     System.out.println("ws://127.0.0.1:" + web.activePort() + "/ws/sesion=&myid=0&devid=0&v=4.08&uuid=x&api=js");
 * }
 * }</pre>
 *
 * <p>Event loops are created here (native epoll when available, else NIO) unless supplied with
 * {@link Builder#eventLoopGroup(EventLoopGroup, boolean)}.
 */
public final class CometWebServer implements AutoCloseable {

    /** Classpath resource of the bundled JS client, served at {@code /comet.js} and {@code /CometServerApi.js}. */
    public static final String CLIENT_SCRIPT = "io/comet/transport/client/comet.js";

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.server");
    /** Name of the {@link SslHandler} of a TLS connection (first in its pipeline). */
    static final String TLS = "tls";

    private final CometEngine engine;
    private final WebConfig config;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final ServerContext context;
    private final ServerTls tls;
    private volatile Channel serverChannel;
    private volatile Channel plainChannel;
    private volatile ScheduledFuture<?> uptimeTask;
    private volatile ScheduledFuture<?> sweepTask;
    private volatile boolean closed;

    private CometWebServer(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.config = b.config;
        // first: bad certificate files fail the build before any thread is started
        this.tls = config.tls() == null ? null : ServerTls.open("HTTP/WebSocket", config.tls());
        if (b.group != null) {
            this.group = b.group;
            this.ownGroup = b.shutdownGroupOnClose;
        } else {
            boolean epoll = config.nativeTransport() && Epoll.isAvailable();
            // one loop per core: more loops than cores only add context switches and wakeups
            int threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
            this.group = new MultiThreadIoEventLoopGroup(threads,
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            this.ownGroup = true;
        }
        this.serverChannelClass = usesEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.context = new ServerContext(engine, config, b.endpoints, b.loader, b.clientScript, b.observer);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings in force. */
    public WebConfig config() {
        return config;
    }

    /**
     * Binds the listener (and, with TLS and a {@link WebConfig#plainPort()}, the plain one beside
     * it); completes when they accept connections.
     */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        bind(config.port(), tls).addListener(r -> {
            if (!r.isSuccess()) {
                done.completeExceptionally(r.cause());
                return;
            }
            serverChannel = ((ChannelFuture) r).channel();
            if (tls == null || config.plainPort() < 0) {
                started(done);
                return;
            }
            bind(config.plainPort(), null).addListener(p -> {
                if (!p.isSuccess()) {
                    done.completeExceptionally(p.cause());
                    return;
                }
                plainChannel = ((ChannelFuture) p).channel();
                started(done);
            });
        });
        return done;
    }

    /** Binds one listener of this server: TLS when {@code t} is set. */
    private ChannelFuture bind(int port, ServerTls t) {
        return ListenerBootstrap.bind(group, serverChannelClass, context, port, t);
    }

    private void started(CompletableFuture<Void> done) {
        engine.backpressure().add(context.budget());
        long every = config.uptimeCheckInterval().toMillis();
        if (config.maxUptimeSeconds() > 0) {
            uptimeTask = group.next().scheduleAtFixedRate(this::dropOld, every, every, TimeUnit.MILLISECONDS);
        }
        long sweep = Math.max(10, Math.min(1000, config.longPollSessionTimeout().toMillis() / 4));
        sweepTask = group.next().scheduleAtFixedRate(context.longPoll()::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        String origin = config.hosts().isEmpty() ? "off" : config.hosts().toString();
        if (tls == null) {
            log.info("Comet HTTP/WebSocket listening on {}:{} ({}, Origin check: {})", config.ip(), activePort(),
                    transportName(), origin);
        } else {
            log.info("Comet HTTPS/WSS listening on {}:{} (TLS 1.3/1.2, {}, Origin check: {}){}", config.ip(), activePort(),
                    transportName(), origin, plainPort() < 0 ? "" : "; plain HTTP/WebSocket on " + config.ip() + ":" + plainPort());
        }
        PlainTextExposure.warnIfPublic(log, "HTTP/WebSocket on " + config.ip() + ":" + (tls == null ? activePort() : plainPort())
                + " is plain text", config.ip(), tls == null || plainPort() >= 0, "Sessions' auth hashes and private "
                + "messages go with it: set [ws] tls_cert and tls_key, or bind [ws] ip = 127.0.0.1 behind a TLS reverse proxy.");
        done.complete(null);
    }

    /** True if the group's loops run epoll (then the server channel must be an epoll one). */
    private static boolean usesEpoll(EventLoopGroup group) {
        return group.next() instanceof IoEventLoop l && l.isIoType(EpollIoHandler.class);
    }

    /** {@code "epoll"} or {@code "nio"}: the transport the listener runs on. */
    public String transportName() {
        return serverChannelClass == EpollServerSocketChannel.class ? "epoll" : "nio";
    }

    /**
     * The per-connection pipeline before any upgrade: the HTTP idle timeout and the
     * {@link UpgradeFastPath}, which upgrades plain WebSocket requests itself and installs the
     * HTTP codec, aggregator and router for everything else.
     */
    static void initPipeline(ChannelPipeline p, ServerContext context) {
        initPipeline(p, context, null);
    }

    /** The same behind {@code ssl} (first in the pipeline) when the listener is the TLS one. */
    static void initPipeline(ChannelPipeline p, ServerContext context, SslHandler ssl) {
        if (ssl != null) {
            p.addLast(TLS, ssl);
        }
        p.addLast(RequestDeadline.NAME, new RequestDeadline(context.config().limits().requestTimeout().toNanos()))
                .addLast(HttpHandler.IDLE, new ReadTimeoutHandler(context.config().httpIdleTimeout().toMillis(),
                        TimeUnit.MILLISECONDS))
                .addLast(UpgradeFastPath.NAME, new UpgradeFastPath(context));
    }

    /** {@return true when {@link #activePort()} speaks TLS (HTTPS, WSS)} */
    public boolean secure() {
        return tls != null;
    }

    /** The TLS side of the main port ({@link ServerTls#reload()} renews its certificate), or null when plain. */
    public ServerTls tls() {
        return tls;
    }

    /** The bound plain-HTTP port beside the TLS one ({@link WebConfig#plainPort()}); -1 when there is none. */
    public int plainPort() {
        Channel ch = plainChannel;
        return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** The bound port (the real one after binding port 0); -1 before {@link #start()} completed. */
    public int activePort() {
        Channel ch = serverChannel;
        return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Open WebSocket connections. */
    public int webSocketCount() {
        return context.webSocketCount();
    }

    /** Connections refused by {@link WebLimits#maxConnections()} or {@link WebLimits#maxConnectionsPerAddress()}. */
    public long refusedConnections() {
        return context.connections().counter().refused();
    }

    /** Open connections (HTTP, long-poll and WebSocket). */
    public int connectionCount() {
        return context.connections().counter().open();
    }

    /**
     * {@return WebSocket connections closed as slow consumers since the start: past the high-water
     * mark, the slow-consumer timeout, or shed when the delivery budget was exhausted}
     */
    public long slowConsumerCloses() {
        return context.outboundLimits().slowCloses.sum() + context.budget().slowConsumers().shedCount();
    }

    /** {@return bytes accepted for delivery and not yet on the sockets (the delivery budget's fill)} */
    public long deliveryPendingBytes() {
        return context.budget().pendingBytes();
    }

    /** {@return times a publisher found the delivery budget exhausted and waited (push-back), since the start} */
    public long deliveryPushbacks() {
        return context.budget().pushbacks();
    }

    /** Live long-poll sessions. */
    public int longPollSessionCount() {
        return context.longPoll().sessionCount();
    }

    ServerContext context() {
        return context;
    }

    private void dropOld() {
        long max = config.maxUptimeSeconds();
        long now = System.nanoTime();
        int n = 0;
        for (Channel ch : context.connections().channels()) {
            WebSocketHandler h = ch.pipeline().get(WebSocketHandler.class);
            if (h != null && h.olderThan(max, now)) {
                ch.close(); // abrupt, no Close frame: clients reconnect (§4.12)
                n++;
            }
        }
        if (n > 0) {
            log.info("closed {} connection(s) older than maxUptime {} s", n, config.maxUptimeSeconds());
        }
    }

    /**
     * Stops accepting, closes every connection abruptly (clients reconnect elsewhere or later)
     * and, if owned, shuts the event loops down. The engine is not closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (uptimeTask != null) {
            uptimeTask.cancel(false);
        }
        if (sweepTask != null) {
            sweepTask.cancel(false);
        }
        engine.backpressure().remove(context.budget());
        context.budget().close();
        for (Channel ch : new Channel[] {serverChannel, plainChannel}) {
            if (ch != null) {
                ch.close().syncUninterruptibly();
            }
        }
        if (tls != null) {
            tls.close();
        }
        context.longPoll().closeAll();
        context.connections().closeAll(Duration.ofSeconds(5)); // WebSockets included: abrupt, clients reconnect
        if (ownGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        log.info("Comet HTTP/WebSocket listener stopped");
    }

    /** Builder of {@link CometWebServer}. */
    public static final class Builder {
        private CometEngine engine;
        private WebConfig config = WebConfig.DEFAULT;
        private EventLoopGroup group;
        private boolean shutdownGroupOnClose;
        private int threads;
        private final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        private ClassLoader loader = CometWebServer.class.getClassLoader();
        private String clientScript = CLIENT_SCRIPT;
        private DeliveryObserver observer = DeliveryObserver.NONE;

        private Builder() {
        }

        /** The engine every connection talks to (required). */
        public Builder engine(CometEngine v) {
            engine = Objects.requireNonNull(v, "engine");
            return this;
        }

        /** Listener settings (default {@link WebConfig#DEFAULT}). */
        public Builder config(WebConfig v) {
            config = Objects.requireNonNull(v, "config");
            return this;
        }

        /** Use an existing event loop group; shut it down on {@link #close()} only if {@code shutdownOnClose}. */
        public Builder eventLoopGroup(EventLoopGroup v, boolean shutdownOnClose) {
            group = Objects.requireNonNull(v, "eventLoopGroup");
            shutdownGroupOnClose = shutdownOnClose;
            return this;
        }

        /** Threads of the group created when none is supplied; 0 = one per available processor. */
        public Builder threads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("threads: " + v + " (expected: >= 0)");
            }
            threads = v;
            return this;
        }

        /**
         * Mounts {@code endpoint} on the exact path {@code path} (also reachable under
         * {@code /comet-server}), e.g. {@code "/cometql"}. Paths under {@code /ws/} and
         * {@code /lp/} are reserved.
         */
        public Builder endpoint(String path, HttpEndpoint endpoint) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(endpoint, "endpoint");
            if (!path.startsWith("/") || path.startsWith("/ws/") || path.startsWith("/lp/") || path.contains("?")) {
                throw new IllegalArgumentException("path: " + path + " (expected: /name, not under /ws/ or /lp/)");
            }
            endpoints.put(path, endpoint);
            return this;
        }

        /** Told the publish→write latency of messages (metrics); default {@link DeliveryObserver#NONE}. */
        public Builder deliveryObserver(DeliveryObserver v) {
            observer = Objects.requireNonNull(v, "deliveryObserver");
            return this;
        }

        /** Where the bundled client is looked up (tests). */
        Builder clientScript(ClassLoader l, String resource) {
            loader = l;
            clientScript = resource;
            return this;
        }

        /** Builds the server (nothing is bound until {@link CometWebServer#start()}). */
        public CometWebServer build() {
            return new CometWebServer(this);
        }
    }
}
