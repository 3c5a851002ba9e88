package io.comet.launcher;

import io.comet.launcher.IniKeys.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code [log]} keys of comet.ini and the map from the original's subsystem names to Comet loggers. */
final class LogKeys {

    /** Comet loggers that the original's {@code [log]} subsystem names map to (several: separated by {@code " "}). */
    static final Map<String, String> SUBSYSTEMS;
    /** {@code [log]} subsystem names of the original that have no counterpart in Comet. */
    static final List<String> SUBSYSTEMS_WITHOUT_COUNTERPART = List.of("TagLoger", "ServerServer",
            "SimpleRedisClient", "CometQLCluster", "devManager", "FreeswitchServer");

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Any", "io.comet");
        m.put("appConf", "io.comet.launcher io.comet.server"); // the start lines are CometServer's
        m.put("pipeCommands", "io.comet.transport.commands");
        m.put("statistics", "io.comet.launcher.statistics");
        m.put("removeOldConnections", "io.comet.transport.server");
        m.put("MySqlServer", "io.comet.cometql");
        m.put("UserIndex", "io.comet.core.engine");
        m.put("UserItem", "io.comet.core.engine");
        m.put("ClientServer", "io.comet.transport");
        m.put("tcpServer", "io.netty");
        m.put("dbLink", "io.comet.core.store");
        SUBSYSTEMS = java.util.Collections.unmodifiableMap(m);
    }

    private static String subsystemList() {
        StringBuilder sb = new StringBuilder();
        SUBSYSTEMS.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" → `")
                .append(v.replace(" ", "`, `")).append('`'));
        return sb.toString();
    }

    private LogKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("log", "level", "400", Level.FREQUENT,
                "0 off, 100 critical, 200 errors, 300 warnings, 400 info, 500 debug (or a Logback level name) for "
                        + "all `io.comet.*` loggers. Comet's default is 400 (the original's 200 would hide the start lines).",
                (b, v, p) -> b.logLevel("io.comet", p.logLevel(v)));
        keys.applied("log", "*", "—", Level.RARE,
                "Per-subsystem levels (same values): the original's names map to Comet loggers (" + subsystemList()
                        + "); " + String.join(", ", SUBSYSTEMS_WITHOUT_COUNTERPART) + " have no counterpart "
                        + "(warning); a Comet logger name (`io.comet.…`, `io.netty…`) is taken as is.",
                (b, v, p) -> {
                    String logger = SUBSYSTEMS.get(p.key());
                    if (logger == null && (p.key().startsWith("io.comet") || p.key().startsWith("io.netty"))) {
                        logger = p.key();
                    }
                    if (logger == null) {
                        p.warn(SUBSYSTEMS_WITHOUT_COUNTERPART.contains(p.key())
                                ? "has no counterpart in Comet, ignored" : "is not a known subsystem, ignored");
                        return;
                    }
                    for (String l : logger.split(" ")) {
                        b.logLevel(l, p.logLevel(v));
                    }
                });
    }
}
