package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The first stage of every connection: a browser's WebSocket upgrade request (§1.3, §1.4) is
 * recognised straight from its bytes and upgraded without building an HTTP codec, an
 * aggregator and a request object for it; anything else (other routes, long-poll, any request
 * this class does not find plain) goes, bytes untouched, to the full HTTP stage
 * ({@link HttpServerCodec}, {@link HttpObjectAggregator}, {@link HttpHandler}) installed in its
 * place. Plain means: {@code GET <path> HTTP/1.1}, a path that routes to {@code /ws/}, CRLF
 * line ends, printable ASCII header lines of the form {@code name: value}, no body, the whole
 * head within {@value #MAX_HEAD} bytes. The connect benchmark motivated it: the HTTP stage cost
 * more server CPU per connection than the rest of the handshake.
 */
final class UpgradeFastPath extends ChannelInboundHandlerAdapter {

    static final String NAME = "upgrade";
    /** Longest head taken on this path (Netty's default header limit is the same). */
    static final int MAX_HEAD = 8192;
    private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    /** The head so far when it arrives in several reads. */
    private ByteBuf head;

    UpgradeFastPath(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf buf;
        if (head == null) {
            buf = in;
        } else {
            head.writeBytes(in);
            in.release();
            buf = head;
        }
        int end = headEnd(buf);
        if (end == NEED_MORE) {
            if (head == null) {
                head = ctx.alloc().buffer(Math.max(256, buf.readableBytes() * 2));
                head.writeBytes(buf);
                buf.release();
            }
            return;
        }
        head = null;
        WebSocketUpgrade.Request req = end < 0 ? null : parse(buf.toString(buf.readerIndex(), end - buf.readerIndex(),
                StandardCharsets.ISO_8859_1));
        if (req == null) {
            toHttpStage(ctx, buf);
            return;
        }
        buf.readerIndex(end + 4);
        ChannelPipeline p = ctx.pipeline();
        WebSocketUpgrade.upgrade(ctx, server, req);
        if (buf.isReadable() && p.get(WebSocketHandler.class) != null) {
            p.fireChannelRead(buf); // frames sent right behind the head go to the one handler left, which decodes them
        } else {
            buf.release();
        }
    }

    /** Hands the connection and the bytes read so far to the full HTTP stage. */
    private void toHttpStage(ChannelHandlerContext ctx, ByteBuf buf) {
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), HttpHandler.CODEC, new HttpServerCodec());
        String beforeAggregator = HttpHandler.CODEC;
        if (p.get(SslHandler.class) != null) {
            // static files cross TLS in chunks (a zero-copy FileRegion cannot be encrypted)
            p.addAfter(HttpHandler.CODEC, HttpHandler.CHUNKED, new ChunkedWriteHandler());
            beforeAggregator = HttpHandler.CHUNKED;
        }
        p.addAfter(beforeAggregator, HttpHandler.AGGREGATOR, new HttpObjectAggregator(server.config().maxHttpBody()))
                .addAfter(HttpHandler.AGGREGATOR, "http-handler", new HttpHandler(server));
        p.remove(this);
        ctx.fireChannelRead(buf);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }

    private static final int NEED_MORE = -2;
    private static final int NOT_PLAIN = -1;

    /**
     * Index of the {@code \r\n\r\n} ending the head; {@link #NEED_MORE} while it may still come;
     * {@link #NOT_PLAIN} as soon as the bytes cannot be a plain upgrade request.
     */
    private static int headEnd(ByteBuf buf) {
        int from = buf.readerIndex();
        int n = buf.readableBytes();
        for (int i = 0; i < GET.length && i < n; i++) {
            if (buf.getByte(from + i) != GET[i]) {
                return NOT_PLAIN;
            }
        }
        int limit = from + Math.min(n, MAX_HEAD);
        for (int i = from; i + 3 < limit; i++) {
            if (buf.getByte(i) == '\r' && buf.getByte(i + 1) == '\n' && buf.getByte(i + 2) == '\r'
                    && buf.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return n >= MAX_HEAD ? NOT_PLAIN : NEED_MORE;
    }

    /** The upgrade request in {@code head} (without its final empty line), or null when it is not plain. */
    static WebSocketUpgrade.Request parse(String head) {
        int eol = head.indexOf("\r\n");
        String line = eol < 0 ? head : head.substring(0, eol);
        int sp = line.indexOf(' ', GET.length);
        if (!line.startsWith("GET ") || sp < 0 || !line.substring(sp).equals(" HTTP/1.1")) {
            return null;
        }
        String path = HttpHandler.route(line.substring(GET.length, sp));
        if (!path.startsWith("/ws/") || !printable(line)) {
            return null;
        }
        String key = null;
        String origin = null;
        String userAgent = null;
        String language = null;
        boolean protocol = false;
        int at = eol < 0 ? head.length() : eol + 2;
        while (at < head.length()) {
            int next = head.indexOf("\r\n", at);
            String h = next < 0 ? head.substring(at) : head.substring(at, next);
            at = next < 0 ? head.length() : next + 2;
            int colon = h.indexOf(':');
            if (colon <= 0 || !printable(h) || h.charAt(0) == ' ' || h.charAt(0) == '\t'
                    || h.charAt(colon - 1) == ' ') {
                return null; // folded, nameless or oddly spaced lines: the HTTP codec decides what they mean
            }
            String value = h.substring(colon + 1).strip();
            switch (h.substring(0, colon).toLowerCase(Locale.ROOT)) {
                case "sec-websocket-key" -> key = key == null ? value : key;
                case "origin" -> origin = origin == null ? value : origin;
                case "user-agent" -> userAgent = userAgent == null ? value : userAgent;
                case "accept-language" -> language = language == null ? value : language;
                case "sec-websocket-protocol" -> protocol = true;
                case "content-length", "transfer-encoding" -> {
                    return null; // a body: the HTTP stage reads it
                }
                default -> {
                    // not needed for the upgrade
                }
            }
        }
        return new WebSocketUpgrade.Request(path.substring(4), key, origin, userAgent, language, protocol);
    }

    /** Printable ASCII and tabs only: anything else is left to the HTTP codec's validation. */
    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
