package io.comet.server;

import io.comet.cometql.http.CometQlHttpService;
import io.comet.transport.HttpEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** {@code POST /cometql} on the browser port (comet-cometql/COMETQL-HTTP.md) as an {@link HttpEndpoint}. */
final class CometQlOverHttp implements HttpEndpoint {

    private static final byte[] USE_POST = "{\"error\":{\"code\":405,\"message\":\"use POST\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final CometQlHttpService service;

    CometQlOverHttp(CometQlHttpService service) {
        this.service = service;
    }

    @Override
    public CompletableFuture<Response> handle(Request request) {
        if (!request.method().equals("POST")) {
            return CompletableFuture.completedFuture(new Response(405, "application/json; charset=UTF-8", USE_POST));
        }
        return service.execute(request.headers().get("authorization"), new String(request.body(), StandardCharsets.UTF_8))
                .thenApply(a -> new Response(a.status(), a.contentType(), a.body().getBytes(StandardCharsets.UTF_8)));
    }
}
