package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket upgrade of one connection (client-protocol.md §1.4), shared by the byte-level
 * {@link UpgradeFastPath} and the full HTTP route ({@link HttpHandler}): swaps whatever HTTP
 * handlers the pipeline holds for one {@link WebSocketHandler}, which decodes frames itself (no
 * frame codec in the pipeline: an upgraded pipeline holds exactly one handler), and writes the
 * {@code 101} without flushing it: the serverInfo that the session sends next is flushed with
 * it, so a browser gets its handshake answer and serverInfo in one segment.
 */
final class WebSocketUpgrade {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.http");
    /** Name of the connection's one handler after the upgrade. */
    static final String HANDLER = "ws-handler";
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] HEAD = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: ");
    private static final byte[] TAIL = ascii("\r\nSec-WebSocket-Version: 13\r\n\r\n");
    private static final byte[] TAIL_PROTOCOL = ascii("\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n\r\n");

    /**
     * What the upgrade needs from the request.
     *
     * @param rest     the path after {@code /ws/} (undecoded)
     * @param key      {@code Sec-WebSocket-Key}, null when absent
     * @param protocol true when the request names a {@code Sec-WebSocket-Protocol} (answered with {@code chat})
     */
    record Request(String rest, String key, String origin, String userAgent, String language, boolean protocol) {
    }

    private WebSocketUpgrade() {
    }

    /**
     * Upgrades the connection whose HTTP stage is {@code ctx}'s handler (replaced by the
     * {@link WebSocketHandler}); a refused request gets its error frame and an abrupt close (§1.4).
     */
    static void upgrade(ChannelHandlerContext ctx, ServerContext server, Request req) {
        String key = req.key();
        if (key == null || key.isBlank()) {
            log.info("WebSocket request without Sec-WebSocket-Key from {}, closing", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        // the 101 goes first, from the first handler straight to the socket (nothing may encode it, and
        // bytes the HTTP codec hands on as it leaves may already make the WebSocket handler write a pong);
        // not flushed: it leaves with the serverInfo (queued by the handler for the loop's writer) or the error
        // on a TLS connection the first handler after the SslHandler, so that the 101 is encrypted
        ChannelHandlerContext first = p.first() instanceof SslHandler ? p.context(p.names().get(1)) : p.firstContext();
        first.write(response(ctx, key.trim(), req.protocol()), first.voidPromise());

        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
        BrowserProtocol.Admission admission = BrowserProtocol.admit(server.engine(), server.config().hosts(), req.rest(),
                key.indexOf('=') >= 0, req.origin(), req.userAgent(), req.language(), ip);
        if (!admission.accepted()) {
            log.info("WebSocket {} from {} refused with {}", Commands.quote(req.rest()), ctx.channel().remoteAddress(),
                    admission.errorCode());
            p.remove(ctx.handler());
        } else {
            p.replace(ctx.handler(), HANDLER, new WebSocketHandler(server, admission.request()));
        }
        // the HTTP stage goes last: frames behind the request, which the codec may still hold
        // and hands on as it leaves, must find the WebSocket handler in place
        removeIfPresent(p, HttpHandler.IDLE); // WebSockets have no idle timeout (§4.12)
        removeIfPresent(p, RequestDeadline.NAME); // nor a request deadline: partial frames have their own
        removeIfPresent(p, HttpHandler.AGGREGATOR);
        removeIfPresent(p, HttpHandler.CHUNKED);
        removeIfPresent(p, HttpHandler.CODEC);
        if (!admission.accepted()) {
            // one error frame on pipe sys, then an abrupt TCP close (§1.4); the pipeline is empty by now
            ByteBuf frame = WireFormat.frame(admission.errorFrame()).frame();
            p.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void removeIfPresent(ChannelPipeline p, String name) {
        ChannelHandler h = p.get(name);
        if (h != null) {
            p.remove(h);
        }
    }

    private static ByteBuf response(ChannelHandlerContext ctx, String key, boolean protocol) {
        byte[] accept = accept(key).getBytes(StandardCharsets.US_ASCII);
        byte[] tail = protocol ? TAIL_PROTOCOL : TAIL;
        ByteBuf b = ctx.alloc().buffer(HEAD.length + accept.length + tail.length);
        return b.writeBytes(HEAD).writeBytes(accept).writeBytes(tail);
    }

    /** {@code Sec-WebSocket-Accept} for {@code key} (RFC 6455 §4.2.2). */
    static String accept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
