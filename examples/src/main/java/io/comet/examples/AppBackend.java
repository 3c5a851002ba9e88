package io.comet.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.comet.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples' web application backend on the JDK's {@link HttpServer}: the Java twin of the
 * seed's PHP chat. It serves the pages of the authenticated chat, the online list and the
 * notifications, logs users in against {@link Users}, and talks to Comet only through CometQL
 * ({@link CometQl}, plain JDBC):
 *
 * <ul>
 *   <li>login: {@code INSERT INTO users_auth} with a fresh random key, then
 *       {@code INSERT INTO pipes_messages} on {@code loginPipe}, event {@code userLogin};</li>
 *   <li>logout: {@code userExit} on {@code loginPipe}; the user's last session also deletes the
 *       key ({@code DELETE FROM users_auth}, which disconnects the user's browsers);</li>
 *   <li>{@code /api/online}: {@code SELECT … FROM users_in_pipes WHERE name = 'track_online'};</li>
 *   <li>{@code /api/notify}: {@code INSERT INTO users_messages} (all devices, queued while offline).</li>
 * </ul>
 *
 * <p>Sessions are a random cookie mapped to a user id, in memory.
 */
public final class AppBackend implements AutoCloseable {

    /** Pipe of the join/leave events (not {@code web_}: only the backend can publish there). */
    public static final String LOGIN_PIPE = "loginPipe";
    /** Pipe of the online list. */
    public static final String TRACK_PIPE = "track_online";
    /** Event of private notifications on {@code msg}. */
    public static final String NOTIFY_EVENT = "notify";

    static final String COOKIE = "comet_example_sid";

    private static final Logger log = LoggerFactory.getLogger(AppBackend.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8",
            "js", "application/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "png", "image/png",
            "ico", "image/x-icon");

    private final HttpServer server;
    private final ExecutorService executor;
    private final CometQl cometql;
    private final String cometNode;
    private final Path webRoot;
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final Map<Long, String> keys = new HashMap<>();

    private AppBackend(HttpServer server, CometQl cometql, String cometNode, Path webRoot) {
        this.server = server;
        this.cometql = cometql;
        this.cometNode = cometNode;
        this.webRoot = webRoot.toAbsolutePath().normalize();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "example-backend");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code ip:port} (0 = any free port) and starts serving.
     *
     * @param cometql the CometQL connection (the backend's only way to Comet)
     * @param cometNode what the pages pass as {@code node}: the Comet server's {@code host:port}
     * @param webRoot folder with the pages ({@code auth/}, {@code online/}, {@code notify/}, {@code app.js})
     * @param ip the ip
     * @param port the port
     * @return the running backend
     * @throws java.io.IOException if the port cannot be bound
     */
    public static AppBackend start(String ip, int port, CometQl cometql, String cometNode, Path webRoot)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 64);
        AppBackend backend = new AppBackend(server, Objects.requireNonNull(cometql, "cometql"),
                Objects.requireNonNull(cometNode, "cometNode"), webRoot);
        server.start();
        return backend;
    }

    /** {@return the bound port} */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ routing

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                switch (path) {
                    case "/" -> redirect(ex, "/auth/index.html");
                    case "/env.js" -> env(ex);
                    case "/api/me" -> json(ex, 200, me(currentUser(ex)));
                    case "/api/login" -> requirePost(ex, method, () -> login(ex));
                    case "/api/logout" -> requirePost(ex, method, () -> logout(ex));
                    case "/api/online" -> online(ex);
                    case "/api/notify" -> requirePost(ex, method, () -> notifyUser(ex));
                    default -> staticFile(ex, path);
                }
            } catch (SQLException e) {
                log.warn("CometQL failed: {}", e.toString());
                json(ex, 502, Json.object("error", "CometQL: " + e.getMessage()));
            }
        }
    }

    private interface Action {
        void run() throws IOException, SQLException;
    }

    private static void requirePost(HttpExchange ex, String method, Action action) throws IOException, SQLException {
        if (!method.equals("POST")) {
            json(ex, 405, Json.object("error", "POST only"));
            return;
        }
        action.run();
    }

    // ------------------------------------------------------------------ pages

    /** {@code /env.js}: where Comet is, and the seed's public id → name list. */
    private void env(HttpExchange ex) throws IOException {
        String js = "window.COMET_NODE = " + Json.write(cometNode) + ";\n"
                + "window.COMET_USERS = " + Json.write(new TreeMap<>(Users.publicNames())) + ";\n";
        send(ex, 200, "application/javascript; charset=UTF-8", js.getBytes(StandardCharsets.UTF_8));
    }

    private void staticFile(HttpExchange ex, String path) throws IOException {
        String rel = URLDecoder.decode(path, StandardCharsets.UTF_8);
        if (rel.endsWith("/")) {
            rel += "index.html";
        }
        Path file = webRoot.resolve(rel.substring(1)).normalize();
        int dot = rel.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (rel.contains("..") || !file.startsWith(webRoot) || type == null || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain; charset=UTF-8", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, type, Files.readAllBytes(file));
    }

    // ------------------------------------------------------------------ api

    private Map<String, Object> me(Optional<Users.User> user) {
        if (user.isEmpty()) {
            return Json.object("id", 0);
        }
        Users.User u = user.get();
        String key;
        synchronized (keys) {
            key = keys.get(u.id());
        }
        return Json.object("id", u.id(), "login", u.login(), "name", u.name(), "key", key);
    }

    private void login(HttpExchange ex) throws IOException, SQLException {
        Map<String, String> form = form(ex);
        Optional<Users.User> found = Users.check(form.getOrDefault("login", ""), form.getOrDefault("pass", ""));
        if (found.isEmpty()) {
            json(ex, 401, Json.object("error", "Unknown login or wrong password"));
            return;
        }
        Users.User u = found.get();
        String sid = randomKey();
        synchronized (keys) {
            // One Comet key per user, shared by all their devices while any of them is logged in.
            String key = keys.get(u.id());
            if (key == null) {
                key = randomKey();
                cometql.authorize(u.id(), key);               // INSERT INTO users_auth (id, hash)
                keys.put(u.id(), key);
            }
            sessions.put(sid, u.id());
        }
        cometql.publish(LOGIN_PIPE, "userLogin", Json.write(Json.object("id", u.id(), "name", u.name())));
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + sid + "; Path=/; HttpOnly; SameSite=Lax");
        log.info("{} logged in", u.login());
        json(ex, 200, me(Optional.of(u)));
    }

    private void logout(HttpExchange ex) throws IOException, SQLException {
        String sid = cookie(ex).orElse(null);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        Long id = null;
        synchronized (keys) {
            if (sid != null) {
                id = sessions.remove(sid);
            }
            if (id != null && !sessions.containsValue(id)) {
                keys.remove(id);
                cometql.deauthorize(id);                      // DELETE FROM users_auth: its browsers are disconnected
            }
        }
        if (id != null) {
            Users.User u = Users.byId(id).orElseThrow();
            cometql.publish(LOGIN_PIPE, "userExit", Json.write(Json.object("id", u.id(), "name", u.name())));
            log.info("{} logged out", u.login());
        }
        json(ex, 200, Json.object("id", 0));
    }

    /** Who is online, as the server sees it: {@code users_in_pipes} of {@code track_online}. */
    private void online(HttpExchange ex) throws IOException, SQLException {
        Map<Long, Integer> connections = new LinkedHashMap<>();
        int guests = 0;
        for (long id : cometql.usersInPipe(TRACK_PIPE)) {
            if (id > 0) {
                connections.merge(id, 1, Integer::sum);
            } else {
                guests++;
            }
        }
        List<Object> users = new ArrayList<>();
        connections.forEach((id, n) -> users.add(Json.object("id", id,
                "name", Users.byId(id).map(Users.User::name).orElse("#" + id), "connections", n)));
        json(ex, 200, Json.object("users", users, "guests", guests));
    }

    /** A private notification to every device of a user ({@code users_messages}); queued while offline. */
    private void notifyUser(HttpExchange ex) throws IOException, SQLException {
        Optional<Users.User> from = currentUser(ex);
        if (from.isEmpty()) {
            json(ex, 401, Json.object("error", "Log in first"));
            return;
        }
        Map<String, String> form = form(ex);
        long to;
        try {
            to = Long.parseLong(form.getOrDefault("to", ""));
        } catch (NumberFormatException e) {
            to = -1;
        }
        String text = form.getOrDefault("text", "").strip();
        if (Users.byId(to).isEmpty() || text.isEmpty() || text.length() > 1000) {
            json(ex, 400, Json.object("error", "Choose a user and write 1 to 1000 characters"));
            return;
        }
        String sent = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_TIME);
        cometql.sendToUser(to, NOTIFY_EVENT, Json.write(Json.object(
                "from", from.get().name(), "from_id", from.get().id(), "text", text, "sent", sent)));
        json(ex, 200, Json.object("ok", true, "to", to));
    }

    // ------------------------------------------------------------------ helpers

    private Optional<Users.User> currentUser(HttpExchange ex) {
        return cookie(ex).map(sessions::get).flatMap(Users::byId);
    }

    private static Optional<String> cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return Optional.of(p.substring(COOKIE.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(16 * 1024);
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String randomKey() {
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            sb.append(KEY_CHARS.charAt(RANDOM.nextInt(KEY_CHARS.length())));
        }
        return sb.toString();
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().add("Location", to);
        ex.sendResponseHeaders(302, -1);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=UTF-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
