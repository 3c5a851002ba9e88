package io.comet.cometql;

import io.comet.cometql.protocol.AuthThrottle;
import io.comet.cometql.protocol.CometQlChannelInitializer;
import io.comet.cometql.protocol.CometQlGuards;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.core.engine.CometEngine;
import io.comet.tls.PlainTextExposure;
import io.comet.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CometQL listener: a MySQL-protocol server in front of a {@link CometEngine}
 * (cometql.md). Any MySQL client logs in with user {@code root} (namespace 0) or a numeric
 * dev_id and the configured password, then publishes and queries through the virtual tables.
 *
 * <pre>{@code
 * CometQlServer server = CometQlServer.builder()
 *         .engine(engine)
 *         .config(CometQlConfig.builder().port(0).password("secret").build())
 *         .build();
 * server.start().join();
 * int port = server.activePort();
 * ...
 * server.close();
 * }</pre>
 */
public final class CometQlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CometQlServer.class);

    private final CometEngine engine;
    private final CometQlConfig config;
    private final EventLoopGroup group;
    private final boolean shutdownGroupOnClose;
    private final ChannelGroup channels = new DefaultChannelGroup("cometql", GlobalEventExecutor.INSTANCE);
    private final CometQlExecutor executor;
    private final CometQlGuards guards;
    private final ServerTls tls;
    private volatile Channel serverChannel;
    private volatile java.util.concurrent.ScheduledFuture<?> uptimeTask;

    private CometQlServer(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.config = b.config;
        // first: bad certificate files fail the build before any thread is started
        this.tls = config.tls() == null ? null : ServerTls.open("CometQL", config.tls());
        if (b.group != null) {
            this.group = b.group;
            this.shutdownGroupOnClose = b.shutdownGroupOnClose;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(config.ioThreads() == 0 ? 2 : config.ioThreads(),
                    NioIoHandler.newFactory());
            this.shutdownGroupOnClose = true;
        }
        this.executor = new CometQlExecutor(engine, config);
        AuthThrottle throttle = b.throttle != null ? b.throttle : new AuthThrottle(config.limits(), System::nanoTime);
        this.guards = new CometQlGuards(config.limits(), throttle);
        executor.statusRows(guards::statusRows);
    }

    /** Tells {@code v} every statement of the MySQL port (metrics); default {@link QueryObserver#NONE}. */
    public void queryObserver(QueryObserver v) {
        executor.observer(v);
    }

    /** Connection counts and the login throttle of this listener ({@code SHOW GLOBAL STATUS} shows them). */
    public CometQlGuards guards() {
        return guards;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings. */
    public CometQlConfig config() {
        return config;
    }

    /** Binds the port; completes when listening. */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new CometQlChannelInitializer(engine, config, executor, guards, channels, tls));
        b.bind(config.ip(), config.port()).addListener(f -> {
            if (f.isSuccess()) {
                serverChannel = ((io.netty.channel.ChannelFuture) f).channel();
                if (config.maxUptimeSeconds() > 0) {
                    long every = config.uptimeCheckInterval().toMillis();
                    uptimeTask = group.next().scheduleAtFixedRate(this::drainOld, every, every, TimeUnit.MILLISECONDS);
                }
                log.info("CometQL listening on {}:{}{}", config.ip(), activePort(), tls == null ? " (plain; no tls_cert)"
                        : config.requireTls() ? " (TLS required: SSLRequest upgrade, TLS 1.3/1.2)"
                        : " (TLS offered: SSLRequest upgrade, TLS 1.3/1.2; plain logins allowed)");
                PlainTextExposure.warnIfPublic(log, "CometQL on " + config.ip() + ":" + activePort()
                        + (tls == null ? " is plain text" : " accepts plain-text logins (TLS not required)"), config.ip(),
                        !config.requireTls(), "The password and every private message go with it: set [cometql] tls_cert, "
                        + "tls_key and require_tls = true, or bind [cometql] ip = 127.0.0.1 (the default).");
                started.complete(null);
            } else {
                started.completeExceptionally(f.cause());
            }
        });
        return started;
    }

    /** The TLS side ({@link ServerTls#reload()} renews its certificate), or null when the listener is plain. */
    public ServerTls tls() {
        return tls;
    }

    /** The bound port (after {@link #start()}), e.g. the real port when configured with 0. */
    public int activePort() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Closes connections older than maxUptime, each after the answer of its command in flight. */
    private void drainOld() {
        long max = TimeUnit.SECONDS.toNanos(config.maxUptimeSeconds());
        long now = System.nanoTime();
        int n = 0;
        for (Channel c : channels) {
            io.comet.cometql.protocol.DrainHandler h = io.comet.cometql.protocol.DrainHandler.of(c);
            if (h != null && now - h.connectedAtNanos() >= max) {
                io.comet.cometql.protocol.DrainHandler.drain(c);
                n++;
            }
        }
        if (n > 0) {
            log.info("closing {} CometQL connection(s) older than maxUptime {} s", n, config.maxUptimeSeconds());
        }
    }

    /** Stops accepting connections (closes the listening socket); open connections go on. Idempotent. */
    public void stopAccepting() {
        java.util.concurrent.ScheduledFuture<?> t = uptimeTask;
        if (t != null) {
            t.cancel(false);
        }
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
    }

    /**
     * Graceful stop: stops accepting, closes idle connections at once and busy ones as soon as
     * the answer of their current command is written (no new command starts), then waits up to
     * {@code timeout} for them before {@link #close()} drops the rest.
     *
     * @return true if every connection finished within the timeout
     */
    public boolean closeGracefully(java.time.Duration timeout) {
        stopAccepting();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Channel c : channels) {
            io.comet.cometql.protocol.DrainHandler.drain(c);
        }
        boolean drained = true;
        for (Channel c : channels) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !c.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                drained = false;
                break;
            }
        }
        if (!drained) {
            log.warn("CometQL: {} connection(s) still busy after {} ms, closing them", channels.size(), timeout.toMillis());
        }
        close();
        return drained;
    }

    /** Stops listening, closes every CometQL connection and, if owned, the event loops. */
    @Override
    public void close() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (tls != null) {
            tls.close();
        }
        if (shutdownGroupOnClose) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Builder of {@link CometQlServer}. */
    public static final class Builder {
        private CometEngine engine;
        private CometQlConfig config = CometQlConfig.DEFAULT;
        private EventLoopGroup group;
        private boolean shutdownGroupOnClose;
        private AuthThrottle throttle;

        private Builder() {
        }

        /** The engine behind the tables (required). */
        public Builder engine(CometEngine v) {
            engine = Objects.requireNonNull(v, "engine");
            return this;
        }

        /** Listener settings (default {@link CometQlConfig#DEFAULT}). */
        public Builder config(CometQlConfig v) {
            config = Objects.requireNonNull(v, "config");
            return this;
        }

        /**
         * Runs on an externally owned event-loop group (default: an own 2-thread NIO group).
         * {@code shutdownOnClose} says whether {@link CometQlServer#close()} shuts it down.
         */
        public Builder eventLoopGroup(EventLoopGroup v, boolean shutdownOnClose) {
            group = Objects.requireNonNull(v, "eventLoopGroup");
            shutdownGroupOnClose = shutdownOnClose;
            return this;
        }

        /**
         * The login throttle, shared with the other door of the same server ({@code POST /cometql},
         * {@link io.comet.cometql.http.CometQlHttpService}); default: an own one from the config's limits.
         */
        public Builder authThrottle(AuthThrottle v) {
            throttle = Objects.requireNonNull(v, "authThrottle");
            return this;
        }

        /** Builds the (not yet started) server. */
        public CometQlServer build() {
            return new CometQlServer(this);
        }
    }
}
