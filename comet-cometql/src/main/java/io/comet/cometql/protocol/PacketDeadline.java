package io.comet.cometql.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in a CometQL pipeline: while the {@link MySqlFrameCodec} holds the bytes of an incomplete
 * packet, that packet must be completed within {@code packetTimeout}, else the connection is
 * closed. The codec's state decides after every read, so a partial packet that arrives behind
 * a whole one in the same read is bounded too. Time the server itself spends on a command (one
 * command at a time: the next bytes are not read until it is answered, {@link DrainHandler})
 * does not count against the client. An idle connection (nothing sent) has no deadline; before
 * login the handshake timeout bounds everything.
 */
final class PacketDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "packetDeadline";
    private static final Logger log = LoggerFactory.getLogger("io.comet.cometql.protocol.limits");

    private final long timeoutNanos;
    private final MySqlFrameCodec codec;
    private ScheduledFuture<?> timer;

    PacketDeadline(long timeoutNanos, MySqlFrameCodec codec) {
        this.timeoutNanos = timeoutNanos;
        this.codec = codec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg); // the codec decodes now: whole packets go on, a partial one stays
        if (!codec.holdsPartialPacket()) {
            cancel();
        } else if (timer == null) {
            arm(ctx);
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> expired(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive() || !codec.holdsPartialPacket()) {
            return;
        }
        DrainHandler d = DrainHandler.of(ctx.channel());
        if (d != null && d.isBusy()) {
            arm(ctx); // the server is still answering an earlier command and reads nothing meanwhile
            return;
        }
        log.debug("CometQL packet from {} incomplete after {} ms, closing", ctx.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
