package io.comet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny stand-in for the WebSocket side of a Comet server, enough to drive the load generator
 * in unit tests: serverInfo on open, {@code subscription} replaces the tab's pipes, a client
 * Close drops TCP without a Close frame (as the original does), {@link #publish} fans out.
 */
final class FakeCometServer implements AutoCloseable {
    private static final AttributeKey<String> PATH = AttributeKey.valueOf("fake-path");
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final Map<String, Set<Channel>> pipes = new ConcurrentHashMap<>();
    final AtomicInteger statistics = new AtomicInteger();
    final AtomicInteger unknown = new AtomicInteger();

    FakeCometServer() throws InterruptedException {
        WebSocketServerProtocolConfig cfg = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws").checkStartsWith(true).handleCloseFrames(false).sendCloseFrame(null).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(cfg), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    int publish(String pipe, String data) {
        Set<Channel> subs = pipes.getOrDefault(pipe, Set.of());
        String msg = "{\"data\":\"" + data + "\",\"event\":\"m\",\"message_send_time\":1,\"pipe\":\"" + pipe + "\"}";
        for (Channel ch : subs) {
            ch.writeAndFlush(new TextWebSocketFrame(msg));
        }
        return subs.size();
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                ctx.channel().attr(PATH).set(hc.requestUri());
                boolean auth = !hc.requestUri().contains("myid=undefined");
                ctx.writeAndFlush(new TextWebSocketFrame("{\"authorized\":" + auth
                        + ",\"data\":\"\",\"event\":\"serverInfo\",\"message_send_time\":1,\"pipe\":\"sys\","
                        + "\"server\":\"fake\"}"));
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                ctx.channel().close(); // §1.7: drop TCP, no Close frame back
                return;
            }
            String text = ((TextWebSocketFrame) frame).text();
            if (text.startsWith("subscription\n")) {
                for (Set<Channel> s : pipes.values()) {
                    s.remove(ctx.channel());
                }
                for (String p : text.substring(13).split("\n")) {
                    pipes.computeIfAbsent(p, k -> new CopyOnWriteArraySet<>()).add(ctx.channel());
                }
            } else if (text.startsWith("statistics\n")) {
                statistics.incrementAndGet();
            } else {
                unknown.incrementAndGet();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Set<Channel> s : pipes.values()) {
                s.remove(ctx.channel());
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
