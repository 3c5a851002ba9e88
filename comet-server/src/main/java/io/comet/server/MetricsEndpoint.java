package io.comet.server;

import io.comet.transport.HttpEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link Metrics} (the registry writes it),
 * open or behind the CometQL password ({@link MetricsAccess}). Prometheus scrapes it with
 * {@code basic_auth: {username: root, password: …}} or {@code authorization: {credentials: …}}.
 */
final class MetricsEndpoint implements HttpEndpoint {

    static final String PATH = "/metrics";
    /** The Prometheus text format the registry writes. */
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;
    private final MetricsAccess access;
    private final byte[] password;

    MetricsEndpoint(Metrics metrics, MetricsAccess access, String password) {
        this.metrics = metrics;
        this.access = access;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<Response> handle(Request request) {
        if (!request.method().equals("GET")) {
            return CompletableFuture.completedFuture(new Response(405, TEXT, bytes("use GET\n")));
        }
        if (access == MetricsAccess.PASSWORD && !authorized(request.headers().get("authorization"))) {
            return CompletableFuture.completedFuture(new Response(401, TEXT, bytes("CometQL password required "
                    + "(Authorization: Basic root:<password> or Bearer <password>)\n")));
        }
        return CompletableFuture.supplyAsync(() -> new Response(200, TEXT, bytes(metrics.scrape())));
    }

    /** Basic with user {@code root} (or {@code 0}) and the password, or Bearer with the password; constant-time. */
    boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        byte[] given;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = bytes(header.substring(7).trim());
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = pair.indexOf(':');
            String user = colon < 0 ? "" : pair.substring(0, colon);
            if (colon < 0 || !(user.equals("root") || user.equals("0"))) {
                return false;
            }
            given = bytes(pair.substring(colon + 1));
        } else {
            return false;
        }
        return password.length > 0 && MessageDigest.isEqual(given, password);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
