package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every plain HTTP request of the one listener (client-protocol.md §1.1, §1.9): the
 * WebSocket upgrade under {@code /ws/} (§1.3, §1.4), long-poll under {@code /lp/}, registered
 * {@link HttpEndpoint}s, {@code OPTIONS}, {@code /info}, {@code /favicon.ico}, {@code /}, the
 * bundled client script, static files; every other {@code POST} gets the 404 page. The
 * {@code /comet-server} prefix and a doubled leading slash are accepted everywhere.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String IDLE = "http-idle";
    static final String CODEC = "http-codec";
    static final String AGGREGATOR = "http-aggregator";
    /** The ChunkedWriteHandler of a TLS connection's HTTP stage (static files). */
    static final String CHUNKED = "http-chunked";
    static final String PREFIX = "/comet-server";
    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.http");

    /** Request facts that sessions record. */
    record Meta(String origin, String userAgent, String ip, String language, String remote) {
    }

    private final ServerContext server;

    HttpHandler(ServerContext server) {
        this.server = server;
    }

    /** Strips {@code //} and the {@code /comet-server} prefix: the route path (query kept). */
    /** The start page of {@code GET /} when {@code base_dir} has no {@link #INDEX}. */
    static final String WELCOME = "io/comet/transport/welcome.html";
    static final String INDEX = "/index.html";

    static String route(String uri) {
        String p = uri;
        if (p.startsWith("//")) {
            p = p.substring(1);
        }
        if (p.equals(PREFIX) || p.startsWith(PREFIX + "/") || p.startsWith(PREFIX + "?")) {
            p = p.substring(PREFIX.length());
            if (p.isEmpty() || p.startsWith("?")) {
                p = "/" + p;
            }
            if (p.startsWith("//")) {
                p = p.substring(1);
            }
        }
        return p;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        RequestDeadline.requestDone(ctx.pipeline());
        if (req.decoderResult().isFailure()) {
            log.info("bad HTTP request from {}: {}", ctx.channel().remoteAddress(), LogText.escape(req.decoderResult().cause().toString()));
            sendPlain(ctx, HttpResponseStatus.BAD_REQUEST, "Bad Request\n");
            return;
        }
        HttpMethod method = req.method();
        String path = route(req.uri());
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        if (method.equals(HttpMethod.OPTIONS)) {
            send(ctx, HttpResponseStatus.OK, "text/html; charset=UTF-8", ascii("+OK\r\n"), true, false, false);
        } else if (path.startsWith("/ws/") && method.equals(HttpMethod.GET)) {
            upgrade(ctx, req, path.substring(4));
        } else if (path.startsWith("/lp/") && method.equals(HttpMethod.POST)) {
            server.longPoll().poll(ctx, path.substring(4), ByteBufUtil.getBytes(req.content()), HttpUtil.isKeepAlive(req),
                    meta(ctx, req.headers()));
        } else if (server.endpoints().containsKey(bare)) {
            endpoint(ctx, req, server.endpoints().get(bare));
        } else if (method.equals(HttpMethod.POST)) {
            send(ctx, HttpResponseStatus.NOT_FOUND, "text/html; charset=UTF-8", page("404 Not Found"), true, false, false);
        } else if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/html; charset=UTF-8", page("405 Method Not Allowed"),
                    true, false, false);
        } else {
            get(ctx, bare, path, method.equals(HttpMethod.HEAD));
        }
    }

    private void get(ChannelHandlerContext ctx, String bare, String path, boolean head) {
        switch (bare) {
            case "/info" -> send(ctx, HttpResponseStatus.OK, "text/html; charset=UTF-8",
                    ascii("{\"status\":\"ok\",\"node\":\"" + nodeName10(server.config().nodeName()) + "\"}"),
                    false, head, false);
            case "/favicon.ico" -> {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        new HttpResponseStatus(301, "OK"), Unpooled.EMPTY_BUFFER);
                common(r.headers(), "text/html; charset=UTF-8", true);
                r.headers().set("Location", server.config().faviconUrl()).set("Content-Length", 0);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
            case "/" -> home(ctx, head);
            case "/comet.js", "/CometServerApi.js" -> {
                byte[] js = server.clientScript();
                if (js == null) {
                    send(ctx, HttpResponseStatus.NOT_FOUND, "text/html; charset=UTF-8", page("404 Not Found"), true, head, false);
                } else {
                    send(ctx, HttpResponseStatus.OK, "application/javascript; charset=UTF-8", js, true, head, false);
                }
            }
            case "/comet.mjs" -> bundled(ctx, server.clientFile("comet.mjs"), "text/javascript; charset=UTF-8", head);
            case "/comet.d.ts", "/comet.d.mts" -> bundled(ctx, server.clientFile(bare.substring(1)),
                    "text/plain; charset=UTF-8", head);
            default -> staticFile(ctx, path, head);
        }
    }

    /** {@code GET /}: {@code index.html} of {@code base_dir} when there is one, else the start page. */
    private void home(ChannelHandlerContext ctx, boolean head) {
        if (server.staticFiles().lookup(INDEX).status() == 200) {
            staticFile(ctx, INDEX, head);
        } else {
            byte[] welcome = server.resource(WELCOME);
            bundled(ctx, welcome != null ? welcome : page(server.engine().config().serverName()),
                    "text/html; charset=UTF-8", head);
        }
    }

    private void bundled(ChannelHandlerContext ctx, byte[] body, String contentType, boolean head) {
        if (body == null) {
            send(ctx, HttpResponseStatus.NOT_FOUND, "text/html; charset=UTF-8", page("404 Not Found"), true, head, false);
        } else {
            send(ctx, HttpResponseStatus.OK, contentType, body, true, head, false);
        }
    }

    private void staticFile(ChannelHandlerContext ctx, String path, boolean head) {
        StaticFiles.Lookup l = server.staticFiles().lookup(path);
        if (l.status() != 200) {
            if (l.status() == 403) {
                log.info("refused static path {} from {}", Commands.quote(path), ctx.channel().remoteAddress());
            }
            HttpResponseStatus st = HttpResponseStatus.valueOf(l.status());
            send(ctx, st, "text/html; charset=UTF-8", page(st.toString()), true, head, false);
            return;
        }
        FileChannel fc;
        long size;
        try {
            fc = FileChannel.open(l.file(), StandardOpenOption.READ);
            size = fc.size();
        } catch (IOException e) {
            send(ctx, HttpResponseStatus.NOT_FOUND, "text/html; charset=UTF-8", page("404 Not Found"), true, head, false);
            return;
        }
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        common(r.headers(), l.contentType() + "; charset=UTF-8", true);
        r.headers().set("Access-Control-Allow-Methods", "GET").set("Content-Length", size);
        ctx.write(r);
        if (head || size == 0) {
            try {
                fc.close();
            } catch (IOException ignored) {
                // nothing was read
            }
        } else {
            try {
                ctx.write(ctx.pipeline().get(CHUNKED) != null ? new ChunkedNioFile(fc) : new DefaultFileRegion(fc, 0, size));
            } catch (IOException e) {
                try {
                    fc.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                ctx.close();
                return;
            }
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    private void endpoint(ChannelHandlerContext ctx, FullHttpRequest req, HttpEndpoint ep) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpEndpoint.Request r = new HttpEndpoint.Request(req.method().name(), req.uri(), headers,
                ByteBufUtil.getBytes(req.content()), ConnectionLimit.ip(ctx.channel()));
        java.util.concurrent.CompletableFuture<HttpEndpoint.Response> f;
        try {
            f = ep.handle(r);
        } catch (RuntimeException e) {
            f = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        f.whenComplete((resp, err) -> ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (err != null || resp == null) {
                log.warn("endpoint {} failed: {}", req.method(), err == null ? "null response" : err.toString());
                sendPlain(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error\n");
                return;
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(resp.status()), Unpooled.wrappedBuffer(resp.body()));
            out.headers().set("Content-Type", resp.contentType())
                    .set("Access-Control-Allow-Origin", "*")
                    .set("Content-Length", resp.body().length)
                    .set("Connection", keepAlive ? "keep-alive" : "close");
            if (keepAlive) {
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }));
    }

    // ---------------------------------------------------------------------------------------
    // WebSocket upgrade (§1.4)

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String rest) {
        HttpHeaders h = req.headers();
        WebSocketUpgrade.upgrade(ctx, server, new WebSocketUpgrade.Request(rest, h.get("Sec-WebSocket-Key"),
                h.get("Origin"), h.get("User-Agent"), h.get("Accept-Language"), h.contains("Sec-WebSocket-Protocol")));
    }

    private static Meta meta(ChannelHandlerContext ctx, HttpHeaders h) {
        String ip = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
        return new Meta(h.get("Origin"), h.get("User-Agent"), ip, h.get("Accept-Language"),
                String.valueOf(ctx.channel().remoteAddress()));
    }

    // ---------------------------------------------------------------------------------------
    // responses

    /** The original's common headers (§1.9). */
    private void common(HttpHeaders h, String type, boolean cache) {
        h.set("Content-Type", type)
                .set("Server", "Comet Server")
                .set("Comet-Server", "Comet Server")
                .set("Access-Control-Allow-Origin", "*")
                .set("Access-Control-Allow-Methods", "POST, GET")
                .set("Allow", "POST, GET")
                .set("Access-Control-Allow-Headers", "origin, content-type, accept")
                .set("Connection", "close");
        if (cache) {
            h.set("Cache-Control", "max-age=3600");
        }
    }

    private void send(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body, boolean cache,
                      boolean head, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        common(r.headers(), type, cache);
        r.headers().set("Content-Length", body.length);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** A small text response that closes the connection (errors of the long-poll and endpoint routes). */
    static void sendPlain(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set("Content-Type", "text/plain; charset=UTF-8").set("Access-Control-Allow-Origin", "*")
                .set("Content-Length", b.length).set("Connection", "close");
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code node_name} cut or padded with {@code _} to exactly 10 chars (quirk Q17). */
    static String nodeName10(String name) {
        StringBuilder sb = new StringBuilder(name.length() > 10 ? name.substring(0, 10) : name);
        while (sb.length() < 10) {
            sb.append('_');
        }
        return sb.toString().replace("\"", "_").replace("\\", "_");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] page(String title) {
        String t = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return ascii("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + t + "</title></head><body><h1>" + t
                + "</h1></body></html>\n");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
            log.debug("idle HTTP connection {} closed", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (!NetErrors.logExpected(log, ctx.channel().remoteAddress(), cause)) {
            log.info("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), LogText.escape(cause.toString()));
        }
        ctx.close();
    }
}
