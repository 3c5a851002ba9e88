package io.comet.bench;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final boolean epoll;
    private final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
    private final ClientHandler handler;
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
        epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        transport = epoll ? "epoll" : "nio";
        group = new MultiThreadIoEventLoopGroup(n, factory);
        remote = new InetSocketAddress(target.host(), target.wsPort());
        boolean loopback = remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
        int count = loopback ? Math.max(1, sourceAddrs) : 1;
        sources = new InetSocketAddress[count];
        for (int i = 0; i < count; i++) {
            sources[i] = loopback ? new InetSocketAddress("127.0.0." + (sourceBase + i), 0) : null;
        }
        options.put(ChannelOption.TCP_NODELAY, true); // as browsers do
        options.put(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 512, 65536));
        options.put(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024));
        if (Epoll.isAvailable()) {
            // bind(127.0.0.x:0) before connect would reserve a port per source address at bind time,
            // a slow search once thousands are taken; this defers the choice to connect()
            options.put(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        if (smallBuffers) {
            options.put(ChannelOption.SO_RCVBUF, 4096);
            options.put(ChannelOption.SO_SNDBUF, 4096);
        }
        // no connect timer (Netty's default is 30 s, one scheduled task per connect): the openers' deadlines bound the wait
        options.put(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        handler = new ClientHandler(this);
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

    /** The next event loop, round robin. */
    EventLoop nextLoop() {
        return group.next();
    }

    /**
     * Starts one connect attempt for {@code c} on {@code loop}; the outcome reaches
     * {@code c.opener}. Called on {@code loop} itself (as the openers do), the channel is
     * registered and connected inline, without a task or a wakeup; the options are those a
     * {@code Bootstrap} would set, without its per-connect copies of them.
     */
    void connect(Conn c, EventLoop loop) {
        c.open = false;
        c.infoReceived = false;
        String key = WsClientCodec.newKey();
        Channel ch = epoll ? new EpollSocketChannel() : new NioSocketChannel();
        ch.attr(ClientHandler.CONN).set(c);
        ch.attr(ClientHandler.KEY).set(key);
        for (Map.Entry<ChannelOption<?>, Object> o : options.entrySet()) {
            setOption(ch, o.getKey(), o.getValue());
        }
        ch.pipeline().addLast("ws", new WsClientCodec(key)).addLast("tab", handler);
        c.channel = ch;
        InetSocketAddress src = sources[c.id % sources.length];
        loop.register(ch).addListener(r -> {
            if (!r.isSuccess()) {
                failed(c, r.cause());
                ch.unsafe().closeForcibly();
                return;
            }
            ChannelFuture f = src == null ? ch.connect(remote) : ch.connect(remote, src);
            f.addListener(fut -> {
                if (!fut.isSuccess()) {
                    failed(c, fut.cause());
                    ch.close();
                }
            });
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOption(Channel ch, ChannelOption<T> option, Object value) {
        ch.config().setOption(option, (T) value);
    }

    private static void failed(Conn c, Throwable cause) {
        c.lastError = String.valueOf(cause);
        Opener o = c.opener;
        if (o != null && !c.settled) {
            o.settled(c, false);
        }
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
