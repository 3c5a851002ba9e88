package io.comet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The browser-side load generator: one Netty event loop per core (epoll when available), small
 * receive buffers, many tabs per loop. Tabs connect from several loopback source addresses
 * ({@code 127.0.0.1}, {@code 127.0.0.2}, ...) so one process is not limited to one address's
 * ephemeral ports.
 */
final class BenchClient implements AutoCloseable {
    private final Target target;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final InetSocketAddress[] sources;
    private final boolean statistics;
    private final String hostHeader;
    private final FastThreadLocal<JsonLine> lines = new FastThreadLocal<>() {
        @Override
        protected JsonLine initialValue() {
            return new JsonLine();
        }
    };
    private volatile Listener listener = Listener.NONE;
    final LongAdder errors = new LongAdder();
    final LongAdder exceptions = new LongAdder();
    volatile String lastError;
    final String transport;

    /**
     * @param target      server under test
     * @param threads     event loops (0 = one per core)
     * @param sourceAddrs how many loopback source addresses to rotate over (127.0.0.1 ...)
     * @param sourceBase  last octet of the first source address
     * @param smallBuffers 4 KiB socket buffers (for idle tabs)
     * @param statistics  send the client's {@code statistics} command 5 s after open
     */
    BenchClient(Target target, int threads, int sourceAddrs, int sourceBase, boolean smallBuffers,
                boolean statistics) {
        this.target = target;
        this.statistics = statistics;
        this.hostHeader = target.host() + ":" + target.wsPort();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        IoHandlerFactory factory;
        Class<? extends SocketChannel> channelClass;
        if (Epoll.isAvailable()) {
            factory = EpollIoHandler.newFactory();
            channelClass = EpollSocketChannel.class;
            transport = "epoll";
        } else {
            factory = NioIoHandler.newFactory();
            channelClass = NioSocketChannel.class;
            transport = "nio";
        }
        group = new MultiThreadIoEventLoopGroup(n, factory);
        remote = new InetSocketAddress(target.host(), target.wsPort());
        boolean loopback = remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
        int count = loopback ? Math.max(1, sourceAddrs) : 1;
        sources = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            sources[i] = loopback ? new InetSocketAddress("127.0.0." + (sourceBase + i), 0) : null;
        }
        bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024));
        if (Epoll.isAvailable()) {
            // bind(127.0.0.x:0) before connect would reserve a port per source address at bind time,
            // a slow search once thousands are taken; this defers the choice to connect()
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        if (smallBuffers) {
            bootstrap.option(ChannelOption.SO_RCVBUF, 4096).option(ChannelOption.SO_SNDBUF, 4096);
        }
        ClientHandler handler = new ClientHandler(this);
        bootstrap.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                String key = ch.attr(ClientHandler.KEY).get();
                ch.pipeline().addLast("ws", new WsClientCodec(key)).addLast("tab", handler);
            }
        });
    }

    Target target() {
        return target;
    }

    String hostHeader() {
        return hostHeader;
    }

    boolean statistics() {
        return statistics;
    }

    JsonLine line() {
        return lines.get();
    }

    Listener listener() {
        return listener;
    }

    void listener(Listener l) {
        this.listener = l == null ? Listener.NONE : l;
    }

    /** Starts one connect attempt for {@code c}; the outcome reaches {@code c.opener}. */
    ChannelFuture connect(Conn c) {
        c.open = false;
        c.infoReceived = false;
        String key = WsClientCodec.newKey();
        Bootstrap b = bootstrap.clone();
        b.attr(ClientHandler.CONN, c).attr(ClientHandler.KEY, key);
        InetSocketAddress src = sources[c.id % sources.length];
        ChannelFuture f = src == null ? b.connect(remote) : b.connect(remote, src);
        c.channel = f.channel();
        f.addListener(fut -> {
            if (!fut.isSuccess()) {
                c.lastError = String.valueOf(fut.cause());
                Opener o = c.opener;
                if (o != null && !c.settled) {
                    o.settled(c, false);
                }
            }
        });
        return f;
    }

    /** Opens {@code conns}, at most {@code maxInFlight} handshakes at a time. */
    Opener.Result open(List<Conn> conns, int maxInFlight, int retries, long timeoutMillis)
            throws InterruptedException {
        if (conns.isEmpty()) {
            return new Opener.Result(0, 0, 0, 0, 0, 0);
        }
        return new Opener(this, conns, maxInFlight, retries).run(timeoutMillis);
    }

    /**
     * Leaves like a browser tab: a masked Close frame, after which the server is expected to drop
     * TCP (client-protocol §1.7); whatever is still open after {@code waitMillis} is closed by us.
     * Returns how many the server had closed by itself.
     */
    int closeGracefully(List<Conn> conns, long waitMillis) throws InterruptedException {
        List<Channel> chans = new ArrayList<>(conns.size());
        for (Conn c : conns) {
            c.opener = null;
            Channel ch = c.channel;
            if (ch != null && ch.isActive()) {
                chans.add(ch);
                ch.writeAndFlush(WsClientCodec.close(ch.alloc()));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        int serverClosed = 0;
        for (Channel ch : chans) {
            long left = deadline - System.nanoTime();
            if (left > 0 && ch.closeFuture().await(left, TimeUnit.NANOSECONDS)) {
                serverClosed++;
            }
        }
        for (Channel ch : chans) {
            ch.close();
        }
        for (Channel ch : chans) {
            ch.closeFuture().await(5, TimeUnit.SECONDS);
        }
        return serverClosed;
    }

    /** Drops every TCP connection at once, like a network blip. */
    void dropAll(List<Conn> conns) throws InterruptedException {
        List<Channel> chans = new ArrayList<>(conns.size());
        for (Conn c : conns) {
            c.opener = null;
            Channel ch = c.channel;
            if (ch != null) {
                chans.add(ch);
                ch.close();
            }
        }
        for (Channel ch : chans) {
            ch.closeFuture().await(5, TimeUnit.SECONDS);
        }
    }

    static int countOpen(List<Conn> conns) {
        int n = 0;
        for (Conn c : conns) {
            Channel ch = c.channel;
            if (c.open && ch != null && ch.isActive()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
