package io.comet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;

/**
 * Behaves like one browser tab running {@code CometServerApi.js} 4.08: sends the upgrade
 * request on connect, {@code subscription\n...} on open, {@code statistics\n{...}} about five
 * seconds after the tab's first open, splits every text frame into JSON lines and routes them:
 * serverInfo settles the connect attempt, errors on {@code sys} are counted, everything else goes
 * to the scenario's {@link Listener}. One shared instance; the tab is a channel attribute.
 */
@Sharable
final class ClientHandler extends ChannelInboundHandlerAdapter {
    static final AttributeKey<Conn> CONN = AttributeKey.valueOf("comet-bench-conn");
    static final AttributeKey<String> KEY = AttributeKey.valueOf("comet-bench-key");

    private final BenchClient client;

    ClientHandler(BenchClient client) {
        this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Conn c = ctx.channel().attr(CONN).get();
        String key = ctx.channel().attr(KEY).get();
        ctx.writeAndFlush(WsClientCodec.request(ctx.alloc(), client.hostHeader(), c.path(client.target().devId()), key));
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        Conn c = ctx.channel().attr(CONN).get();
        if (evt == WsClientCodec.OPEN) {
            c.open = true;
            String sub = c.subscription();
            if (sub != null) {
                ctx.writeAndFlush(WsClientCodec.text(ctx.alloc(), sub));
            }
            if (client.statistics() && !c.statisticsSent) {
                c.statisticsSent = true;
                ctx.channel().eventLoop().schedule(() -> {
                    if (ctx.channel().isActive()) {
                        ctx.writeAndFlush(WsClientCodec.text(ctx.alloc(), "statistics\n{\"url\":\"http://"
                                + client.hostHeader() + "/comet-bench\",\"dev_id\":\""
                                + client.target().devId() + "\",\"version\":\"4.08\"}"));
                    }
                }, 5, TimeUnit.SECONDS);
            }
        } else if (evt == WsClientCodec.CLOSE_FRAME) {
            c.closeFrames++;
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            Conn c = ctx.channel().attr(CONN).get();
            JsonLine line = client.line();
            int end = buf.readableBytes();
            byte[] a = line.array(end);
            buf.getBytes(buf.readerIndex(), a, 0, end);
            int from = 0;
            while (from < end) {
                int to = from;
                while (to < end && a[to] != '\n') {
                    to++;
                }
                if (to > from && line.scan(a, from, to) && line.hasData) {
                    dispatch(c, line);
                }
                from = to + 1;
            }
        } finally {
            buf.release();
        }
    }

    private void dispatch(Conn c, JsonLine line) {
        if (line.authorized >= 0 && line.eventIs("serverInfo") && line.pipeIs("sys")) {
            c.infoReceived = true;
            c.authorized = line.authorized == 1;
            Opener o = c.opener;
            if (o != null) {
                o.settled(c, true);
            }
            return;
        }
        if (line.pipeIs("sys") && line.eventIs("error")) {
            c.sysErrors++;
            c.lastError = line.text();
            client.lastError = c.lastError;
            client.errors.increment();
            return;
        }
        client.listener().onMessage(c, line);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Conn c = ctx.channel().attr(CONN).get();
        c.open = false;
        Opener o = c.opener;
        if (o != null && !c.settled) {
            o.settled(c, false);
        }
        client.listener().onClosed(c);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Conn c = ctx.channel().attr(CONN).get();
        if (c != null) {
            c.lastError = String.valueOf(cause);
        }
        client.exceptions.increment();
        ctx.close();
    }
}
