package io.comet.transport;

import io.comet.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * The socket options and child initializer of one listening port of a {@link CometWebServer}
 * (the main one, TLS or plain, and the plain one beside a TLS port): connection limits, the
 * channel group, then {@link CometWebServer#initPipeline}.
 */
final class ListenerBootstrap {

    /** Connections accepted per read event of the listener. */
    private static final int ACCEPTS_PER_READ = 256;

    private ListenerBootstrap() {
    }

    /** Binds one listener on {@code port} of {@code context}'s server: TLS when {@code t} is set. */
    static ChannelFuture bind(EventLoopGroup group, Class<? extends ServerChannel> serverChannelClass, ServerContext context,
                              int port, ServerTls t) {
        WebConfig config = context.config();
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(serverChannelClass)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                // accept up to this many connections per wakeup of the listener (Netty's default is
                // 16): the listener shares its loop with thousands of connections, so accepting only 16
                // per turn overflows the accept queue during a connect burst
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(ACCEPTS_PER_READ))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outboundHighWaterMark() / 2, config.outboundHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!context.connections().admit(ch)) {
                            return; // refused with a 503, closing
                        }
                        CometWebServer.initPipeline(ch.pipeline(), context, t == null ? null : t.newHandler(ch.alloc()));
                    }
                });
        if (config.socketSendBuffer() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBuffer());
        }
        return b.bind(new InetSocketAddress(config.ip(), port));
    }
}
