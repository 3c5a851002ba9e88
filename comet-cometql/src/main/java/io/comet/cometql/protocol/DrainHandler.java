package io.comet.cometql.protocol;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;

/**
 * Graceful stop of one CometQL connection: sits right before {@link MySqlFrontendHandler}, which
 * reads one packet, answers it and only then asks for the next ({@code read()}). A connection
 * is busy from a packet's arrival to that {@code read()}. {@link #drain} closes an idle
 * connection at once and a busy one as soon as its answer is written, so an in-flight command
 * is finished and acknowledged while no new command is started.
 */
public final class DrainHandler extends ChannelDuplexHandler {

    /** Name of the handler in the pipeline. */
    public static final String NAME = "drain";

    private static final AttributeKey<DrainHandler> KEY = AttributeKey.valueOf(DrainHandler.class, "drain");

    private final long connectedAtNanos = System.nanoTime();
    private boolean busy;
    private boolean draining;

    /** The handler of a channel, or {@code null}. */
    public static DrainHandler of(io.netty.channel.Channel ch) {
        return ch.attr(KEY).get();
    }

    /** True from a packet's arrival until the frontend asks for the next one (its answer is on the way). */
    boolean isBusy() {
        return busy;
    }

    /** {@link System#nanoTime()} when the connection was set up. */
    public long connectedAtNanos() {
        return connectedAtNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        busy = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        busy = false;
        if (draining) {
            ctx.close();
        } else {
            ctx.read();
        }
    }

    /** Closes the connection now if idle, else after the current command's answer; runs on the channel's loop. */
    public void drain(ChannelHandlerContext ctx) {
        draining = true;
        if (!busy) {
            ctx.close();
        }
    }

    /** Starts draining the channel (thread-safe). */
    public static void drain(io.netty.channel.Channel ch) {
        DrainHandler h = of(ch);
        if (h == null) {
            ch.close();
            return;
        }
        ch.eventLoop().execute(() -> {
            ChannelHandlerContext ctx = ch.pipeline().context(h);
            if (ctx == null) {
                ch.close();
            } else {
                h.drain(ctx);
            }
        });
    }
}
