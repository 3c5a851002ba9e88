package io.comet.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline of a whole HTTP request ({@link WebLimits#requestTimeout()}), first in the pipeline
 * of every plain HTTP connection: armed when the connection is accepted and, on a keep-alive
 * connection, by the first byte of each further request; disarmed by {@link #requestDone} when
 * a request is complete (routed by {@link HttpHandler}) and removed with the HTTP stage at a
 * WebSocket upgrade. A request whose head or body trickles in slower than that is closed, so a
 * client cannot keep a connection (and a partial head) by sending one byte now and then, which
 * the idle timeout alone allows.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "http-deadline";
    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.http");

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    /** A request is complete and its answer pending or sent: bytes now start the next request. */
    private boolean between;

    RequestDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The request on this pipeline is complete: the deadline stops until the next request's first byte. */
    static void requestDone(ChannelPipeline p) {
        ChannelHandler h = p.get(NAME);
        if (h instanceof RequestDeadline d) {
            d.disarm();
            d.between = true;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (between) {
            between = false;
            arm(ctx);
        }
        ctx.fireChannelRead(msg);
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> expired(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired(ChannelHandlerContext ctx) {
        timer = null;
        if (ctx.channel().isActive()) {
            log.debug("HTTP request from {} not complete within {} ms, closing", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }
}
