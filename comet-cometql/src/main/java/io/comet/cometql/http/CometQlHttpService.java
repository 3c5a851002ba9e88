package io.comet.cometql.http;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.protocol.AuthThrottle;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.cometql.table.CometQlExecutor.Outcome;
import io.comet.cometql.table.QlError;
import io.comet.cometql.table.QlSession;
import io.comet.cometql.table.QueryResult;
import io.comet.core.engine.CometEngine;
import io.comet.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CometQL over HTTP (cometql.md §9, documented in {@code COMETQL-HTTP.md}): one query per
 * request, authenticated with the same password as the MySQL port, run by the same
 * {@link CometQlExecutor}, answered as JSON. Transport-neutral: the HTTP listener passes the
 * {@code Authorization} header and the body and writes the {@link HttpAnswer} back.
 *
 * <pre>{@code
 * CometQlHttpService http = new CometQlHttpService(engine, CometQlConfig.DEFAULT);
 * HttpAnswer a = http.execute("Bearer secret", "SELECT * FROM pipes WHERE name = 'web_chat'").join();
 * // 200 {"columns":["name","users"],"rows":[["web_chat","2"]]}
 * }</pre>
 */
public final class CometQlHttpService {

    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    private final CometEngine engine;
    private final CometQlConfig config;
    private final CometQlExecutor executor;

    /** Told every statement of this door (metrics); default {@link io.comet.cometql.QueryObserver#NONE}. */
    public void observer(io.comet.cometql.QueryObserver v) {
        executor.observer(v);
    }
    private final AuthThrottle throttle;

    /** A service over {@code engine} with an own login throttle; the password is {@code config.password()} or the engine's. */
    public CometQlHttpService(CometEngine engine, CometQlConfig config) {
        this(engine, config, new AuthThrottle(config.limits(), System::nanoTime));
    }

    /**
     * A service whose password checks take their tokens from {@code throttle}: pass the one of
     * the server's MySQL listener ({@code CometQlServer.guards().throttle()}) so that guesses
     * through both doors count together.
     */
    public CometQlHttpService(CometEngine engine, CometQlConfig config, AuthThrottle throttle) {
        this.engine = engine;
        this.config = config;
        this.executor = new CometQlExecutor(engine, config);
        this.throttle = java.util.Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * Runs {@code body} as one CometQL statement.
     *
     * @param authorizationHeader {@code Basic base64(user:password)} (user {@code root}, {@code 0} or a
     *                            dev_id) or {@code Bearer <password>} (namespace 0); may be null
     * @param body                the query text
     * @return the answer; the future never fails
     */
    public CompletableFuture<HttpAnswer> execute(String authorizationHeader, String body) {
        return execute("unknown", authorizationHeader, body);
    }

    /**
     * {@link #execute(String, String)} for a request from {@code address} (the client's IP): a
     * request with credentials takes a token of the login throttle before they are checked,
     * waits for one (the answer comes later) or, when the wait would be too long, is answered
     * {@code 429} unchecked.
     */
    public CompletableFuture<HttpAnswer> execute(String address, String authorizationHeader, String body) {
        if (authorizationHeader == null) {
            return CompletableFuture.completedFuture(error(401, new QlError(16, "Authentication failure")));
        }
        String account = account(authorizationHeader);
        long wait = throttle.acquire(address, account);
        if (wait == AuthThrottle.REFUSED) {
            return CompletableFuture.completedFuture(error(429,
                    new QlError(16, "Authentication failure, too many attempts: try later")));
        }
        if (wait == 0) {
            return checked(address, account, authorizationHeader, body);
        }
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.NANOSECONDS))
                .thenCompose(v -> checked(address, account, authorizationHeader, body));
    }

    private CompletableFuture<HttpAnswer> checked(String address, String account, String authorizationHeader,
                                                  String body) {
        int devId = authenticate(authorizationHeader);
        if (devId < 0) {
            throttle.failure(address, account);
            return CompletableFuture.completedFuture(error(401, new QlError(16, "Authentication failure")));
        }
        throttle.success(address, account);
        QlSession session = new QlSession(REQUEST_IDS.incrementAndGet(), devId == 0 ? "root" : Integer.toString(devId),
                "http", devId, "CometQL_v1");
        return executor.run(session, body == null ? "" : body, false).thenApply(this::answer)
                .exceptionally(e -> error(500, QlError.of(e)));
    }

    private HttpAnswer answer(List<Outcome> outcomes) {
        Outcome o = outcomes.get(outcomes.size() - 1);
        if (o.error() != null) {
            return error(o.error().code() == 500 ? 500 : 400, o.error());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        if (o.result() instanceof QueryResult.Rows) {
            QueryResult.Rows rows = (QueryResult.Rows) o.result();
            json.put("columns", rows.columns());
            json.put("rows", rows.rows());
        } else {
            QueryResult.Update u = (QueryResult.Update) o.result();
            json.put("affected_rows", u.affectedRows());
            json.put("last_insert_id", u.lastInsertId());
        }
        return HttpAnswer.json(200, Json.write(json));
    }

    private static HttpAnswer error(int status, QlError e) {
        return HttpAnswer.json(status, Json.write(Map.of("error", Json.object("code", e.code(), "message", e.message()))));
    }

    /** The account a header names (for the throttle): {@code root} for Bearer, the Basic user, else empty. */
    static String account(String header) {
        String h = header.strip();
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String d = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = d.indexOf(':');
                return colon < 0 ? "" : d.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "root";
    }

    /** The namespace the credentials grant, or -1. */
    int authenticate(String header) {
        String password = config.password() != null ? config.password() : engine.config().password();
        if (header == null || password == null) {
            return -1;
        }
        String h = header.strip();
        String user;
        String given;
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = "root";
            given = h.substring(7).strip();
        } else if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return -1;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return -1;
            }
            user = decoded.substring(0, colon);
            given = decoded.substring(colon + 1);
        } else {
            return -1;
        }
        if (password.isEmpty() && !config.allowEmptyPassword()) {
            return -1;
        }
        if (!MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            return -1;
        }
        if (user.equals("root") || user.equals("0")) {
            return 0;
        }
        if (!user.isEmpty() && user.length() <= 9 && user.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(user);
            return n < engine.config().devIndexSize() ? n : -1;
        }
        return config.mapUnknownUsersToNamespaceZero() ? 0 : -1;
    }
}
