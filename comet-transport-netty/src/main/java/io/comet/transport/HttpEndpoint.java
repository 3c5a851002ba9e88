package io.comet.transport;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An extra HTTP route mounted on the browser listener, e.g. CometQL over HTTP, without the
 * transport depending on the module that implements it. Registered with
 * {@link CometWebServer.Builder#endpoint(String, HttpEndpoint)}; called for every method on that
 * exact path (also under the {@code /comet-server} prefix). The returned future may complete on
 * any thread; the response is written when it completes. Runs on an event loop: do not block,
 * return a future completed elsewhere instead.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /** Handles one request. A failed future answers 500. */
    CompletableFuture<Response> handle(Request request);

    /**
     * One HTTP request.
     *
     * @param method  upper-case method
     * @param path    raw request target (path and query)
     * @param headers header names in lower case (last value wins)
     * @param body    request body, possibly empty
     * @param remoteAddress the client's IP address (for per-address limits such as a login throttle)
     */
    record Request(String method, String path, Map<String, String> headers, byte[] body, String remoteAddress) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
            remoteAddress = remoteAddress == null ? "" : remoteAddress;
        }

        /** A request whose client address is unknown. */
        public Request(String method, String path, Map<String, String> headers, byte[] body) {
            this(method, path, headers, body, "");
        }
    }

    /**
     * One HTTP response.
     *
     * @param status      HTTP status code
     * @param contentType {@code Content-Type} value
     * @param body        response body
     */
    record Response(int status, String contentType, byte[] body) {
        public Response {
            Objects.requireNonNull(contentType, "contentType");
            body = body == null ? new byte[0] : body;
        }
    }
}
