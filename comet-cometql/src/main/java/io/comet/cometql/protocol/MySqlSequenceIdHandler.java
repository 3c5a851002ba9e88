package io.comet.cometql.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Tells the {@link MySqlFrameCodec} that a decoded packet reached the application (after flow
 * control), so the codec resets its outbound sequence id from that packet's id. Several packets
 * can be decoded from one read while an earlier command is still running; each response must
 * continue its own command's sequence.
 */
final class MySqlSequenceIdHandler extends ChannelInboundHandlerAdapter {

    private final MySqlFrameCodec codec;

    MySqlSequenceIdHandler(MySqlFrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        codec.packetDelivered();
        ctx.fireChannelRead(msg);
    }
}
