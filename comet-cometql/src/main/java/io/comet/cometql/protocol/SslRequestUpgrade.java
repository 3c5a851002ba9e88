package io.comet.cometql.protocol;

import io.comet.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * The MySQL TLS upgrade (cometql.md §1.10) on a listener with a certificate: looks at the
 * client's first packet in its raw bytes. An {@code SSLRequest} (a 32-byte payload with
 * CLIENT_SSL) is passed on to the frontend, which learns that the connection is encrypted from
 * here on, and an {@code SslHandler} goes first in the pipeline; the bytes behind the request
 * (clients send their ClientHello without waiting) are fed to it, not to the MySQL framing. Any
 * other first packet is a plain login: this handler steps aside with the bytes untouched. It
 * reads on demand only (the channel runs with autoRead off), at most 36 bytes are held.
 */
final class SslRequestUpgrade extends ChannelInboundHandlerAdapter {

    static final String NAME = "sslRequestUpgrade";
    /** Name of the {@code SslHandler} once the connection upgraded. */
    static final String TLS = "tls";
    /** Header (4) + the SSLRequest payload (32). */
    private static final int SSL_REQUEST = 36;

    private final ServerTls tls;
    private ByteBuf head;

    SslRequestUpgrade(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf buf = in;
        if (head != null) {
            head.writeBytes(in);
            in.release();
            buf = head;
            head = null;
        }
        ChannelPipeline p = ctx.pipeline();
        if (buf.readableBytes() < 8) {
            keep(ctx, buf);
            return;
        }
        int r = buf.readerIndex();
        boolean sslRequest = buf.getUnsignedMediumLE(r) == SSL_REQUEST - 4
                && (buf.getIntLE(r + 4) & MySqlConstants.CLIENT_SSL) != 0;
        if (!sslRequest) {
            p.remove(this);
            ctx.fireChannelRead(buf); // a plain login
            return;
        }
        if (buf.readableBytes() < SSL_REQUEST) {
            keep(ctx, buf);
            return;
        }
        ByteBuf request = buf.readRetainedSlice(SSL_REQUEST);
        p.addFirst(TLS, tls.newHandler(ctx.alloc()));
        ctx.fireChannelRead(request); // the frontend sees the SSLRequest, answers nothing, asks for the login
        p.remove(this);
        if (buf.isReadable()) {
            p.fireChannelRead(buf); // the ClientHello: from the head, through the SslHandler
        } else {
            buf.release();
        }
    }

    /** Holds a first packet that is not yet complete enough to tell, and asks for more. */
    private void keep(ChannelHandlerContext ctx, ByteBuf buf) {
        head = ctx.alloc().buffer(SSL_REQUEST); // fewer than 36 bytes here
        head.writeBytes(buf);
        buf.release();
        ctx.read();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
