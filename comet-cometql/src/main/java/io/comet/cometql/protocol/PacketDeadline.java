package io.comet.cometql.protocol;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in a CometQL pipeline: bytes that arrive start a deadline ({@code packetTimeout}) that
 * the next whole packet reaching {@link MySqlFrontendHandler} ends ({@link #packetDone}); a
 * packet still incomplete by then closes the connection. An idle connection (nothing sent) has
 * no deadline; before login the handshake timeout bounds everything.
 */
final class PacketDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "packetDeadline";
    private static final Logger log = LoggerFactory.getLogger("io.comet.cometql.protocol.limits");

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;

    PacketDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    static void packetDone(ChannelPipeline p) {
        ChannelHandler h = p.get(NAME);
        if (h instanceof PacketDeadline d && d.timer != null) {
            d.timer.cancel(false);
            d.timer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                if (ctx.channel().isActive()) {
                    log.debug("CometQL packet from {} incomplete after {} ms, closing", ctx.channel().remoteAddress(),
                            TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                    ctx.close();
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }
}
