package io.comet.launcher;

import io.comet.core.CometConfig;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.transport.WebConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the launcher wires, read from {@code comet.ini} (cometql.md §7) or defaults: the
 * engine settings, the browser listener ({@link WebConfig}) and the CometQL listener address
 * (kept here for the CometQL module to use). Immutable.
 *
 * @param engine      engine settings ({@code [main]}); {@code password} may be {@code null} = to be generated
 * @param web         browser listener ({@code [ws]}, {@code [main] base_dir}, {@code [content-type]})
 * @param webThreads  event-loop threads ({@code [ws] thread_num}), 0 = Netty's default
 * @param cometqlIp   {@code [cometql] ip}
 * @param cometqlPort {@code [cometql] port}
 * @param store       the durable store: an embedded H2 file under {@code ./data} by default, MySQL/MariaDB when
 *                    {@code [db]} is configured; {@code null} = in memory (tests, ephemeral embedding)
 * @param warnings    unknown or ignored keys, one line each, to be logged at start
 */
public record LauncherConfig(CometConfig engine, WebConfig web, int webThreads, String cometqlIp, int cometqlPort,
                             JdbcStoreConfig store, List<String> warnings) {

    public static final String DEFAULT_COMETQL_IP = "0.0.0.0";
    public static final int DEFAULT_COMETQL_PORT = 3300;

    /** Keys read per section; everything else is warned about (and ignored). */
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "main", Set.of("password", "node_name", "base_dir", "dev_index_size", "send_user_online_events",
                    "send_user_offline_events", "save_users_last_online_time"),
            "ws", Set.of("ip", "port", "host", "maxUptime", "uptimeTestInterval", "thread_num"),
            "cometql", Set.of("ip", "port"));

    public LauncherConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(web, "web");
        Objects.requireNonNull(cometqlIp, "cometqlIp");
        warnings = List.copyOf(warnings);
    }

    /** The defaults: no file at all. */
    public static LauncherConfig defaults() {
        return new LauncherConfig(CometConfig.DEFAULT, WebConfig.DEFAULT, 0, DEFAULT_COMETQL_IP, DEFAULT_COMETQL_PORT,
                JdbcStoreConfig.DEFAULT, List.of());
    }

    /** A copy with another engine config (e.g. with a generated password). */
    public LauncherConfig withEngine(CometConfig e) {
        return new LauncherConfig(e, web, webThreads, cometqlIp, cometqlPort, store, warnings);
    }

    /** A copy with other listener addresses (tests bind port 0). */
    public LauncherConfig withPorts(int webPort, int cometqlPort) {
        return new LauncherConfig(engine, web.toBuilder().port(webPort).build(), webThreads, cometqlIp, cometqlPort,
                store, warnings);
    }

    /** A copy with another store; {@code null} = in memory. */
    public LauncherConfig withStore(JdbcStoreConfig s) {
        return new LauncherConfig(engine, web, webThreads, cometqlIp, cometqlPort, s, warnings);
    }

    /**
     * Reads the sections the launcher knows. Bad values fail with file, line and reason.
     *
     * @throws ConfigException on a bad value
     */
    public static LauncherConfig fromIni(IniFile ini) {
        List<String> warnings = new ArrayList<>();
        for (String section : ini.sections()) {
            if (section.equals("content-type")) {
                continue;
            }
            Set<String> known = KNOWN.get(section);
            for (String key : ini.keys(section)) {
                if (known == null || !known.contains(key)) {
                    int line = ini.value(section, key).map(IniFile.Value::line).orElse(0);
                    warnings.add(ini.source() + ":" + line + ": [" + section + "] " + key + " is not supported yet, ignored");
                }
            }
        }
        CometConfig.Builder eb = CometConfig.builder();
        ini.value("main", "password").ifPresent(v -> eb.password(v.text().isEmpty() ? null : v.text()));
        ini.value("main", "dev_index_size").ifPresent(v -> eb.devIndexSize(intValue(ini, v, 1, Integer.MAX_VALUE)));
        ini.value("main", "send_user_online_events").ifPresent(v -> eb.sendUserOnlineEvents(bool(v)));
        ini.value("main", "send_user_offline_events").ifPresent(v -> eb.sendUserOfflineEvents(bool(v)));
        ini.value("main", "save_users_last_online_time").ifPresent(v -> eb.saveUsersLastOnlineTime(bool(v)));
        CometConfig engine;
        try {
            engine = eb.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.source() + ": [main]: " + e.getMessage());
        }

        WebConfig.Builder wb = WebConfig.builder();
        ini.value("ws", "ip").ifPresent(v -> wb.ip(nonEmpty(ini, v, "[ws] ip")));
        ini.value("ws", "port").ifPresent(v -> wb.port(intValue(ini, v, 0, 65_535)));
        ini.value("ws", "host").ifPresent(v -> wb.hosts(Arrays.asList(v.text().split(","))));
        ini.value("ws", "maxUptime").ifPresent(v -> wb.maxUptimeSeconds(intValue(ini, v, 0, Integer.MAX_VALUE)));
        ini.value("ws", "uptimeTestInterval").ifPresent(v ->
                wb.uptimeCheckInterval(java.time.Duration.ofSeconds(intValue(ini, v, 1, Integer.MAX_VALUE))));
        ini.value("main", "node_name").ifPresent(v -> wb.nodeName(v.text()));
        ini.value("main", "base_dir").ifPresent(v -> wb.baseDir(v.text().isEmpty() ? null : Path.of(v.text())));
        for (String ext : ini.keys("content-type")) {
            ini.value("content-type", ext).ifPresent(v -> wb.contentType(ext, nonEmpty(ini, v, "[content-type] " + ext)));
        }
        int threads = ini.value("ws", "thread_num").map(v -> intValue(ini, v, 0, 1024)).orElse(0);
        WebConfig web;
        try {
            web = wb.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.source() + ": [ws]: " + e.getMessage());
        }
        String qlIp = ini.value("cometql", "ip").map(v -> nonEmpty(ini, v, "[cometql] ip")).orElse(DEFAULT_COMETQL_IP);
        int qlPort = ini.value("cometql", "port").map(v -> intValue(ini, v, 0, 65_535)).orElse(DEFAULT_COMETQL_PORT);
        return new LauncherConfig(engine, web, threads, qlIp, qlPort, JdbcStoreConfig.DEFAULT, warnings);
    }

    private static boolean bool(IniFile.Value v) {
        return v.text().equals("true") || v.text().equals("True") || v.text().equals("TRUE");
    }

    private static int intValue(IniFile ini, IniFile.Value v, int min, int max) {
        try {
            int n = Integer.parseInt(v.text());
            if (n < min || n > max) {
                throw new ConfigException(ini.source(), v.line(), "'" + v.text() + "' out of range (expected: " + min
                        + ".." + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(ini.source(), v.line(), "'" + v.text() + "' is not a number");
        }
    }

    private static String nonEmpty(IniFile ini, IniFile.Value v, String what) {
        if (v.text().isEmpty()) {
            throw new ConfigException(ini.source(), v.line(), what + " must not be empty");
        }
        return v.text();
    }
}
