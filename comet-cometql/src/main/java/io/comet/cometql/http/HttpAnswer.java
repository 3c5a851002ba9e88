package io.comet.cometql.http;

/**
 * The HTTP answer of {@link CometQlHttpService}: status, content type and JSON body.
 *
 * @param status      200 (ok), 400 (query error), 401 (bad credentials), 500 (server error)
 * @param contentType always {@code application/json; charset=utf-8}
 * @param body        the JSON document
 */
public record HttpAnswer(int status, String contentType, String body) {

    static final String JSON = "application/json; charset=utf-8";

    static HttpAnswer json(int status, String body) {
        return new HttpAnswer(status, JSON, body);
    }
}
