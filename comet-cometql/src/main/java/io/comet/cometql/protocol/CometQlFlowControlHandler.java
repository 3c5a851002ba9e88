package io.comet.cometql.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Netty's {@link FlowControlHandler} (one decoded packet per {@code read()}), except that an
 * unsatisfied {@code read()} stays pending across read cycles. The stock handler forgets the
 * demand at {@code channelReadComplete} when a cycle produced no whole packet (a packet split
 * across TCP reads, or a long packet being skipped), and the connection would then wait forever
 * for a packet that already arrived.
 */
final class CometQlFlowControlHandler extends FlowControlHandler {

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
    }
}
