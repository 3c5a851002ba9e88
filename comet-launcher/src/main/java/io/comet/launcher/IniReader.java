package io.comet.launcher;

import java.util.List;
import java.util.Map;

/**
 * Reads a parsed comet.ini into a {@link LauncherConfig} ({@link LauncherConfig#fromIni}): every
 * value through its {@link IniKeys} entry, then the environment's passwords and the checks that
 * span several keys ({@code [db] host} needs {@code name} and {@code user}; the heap-free range).
 */
final class IniReader {

    private IniReader() {
    }

    static LauncherConfig read(IniFile ini, Map<String, String> env) {
        LauncherConfigBuilder b = LauncherConfig.builder();
        int dbHostLine = 0;
        int heapFreeMinLine = 0;
        int heapFreeMaxLine = 0;
        for (String section : ini.sections()) {
            for (String key : ini.keys(section)) {
                List<IniFile.Value> values = ini.values(section, key);
                IniFile.Value v = values.get(values.size() - 1);
                IniKeys.Parse p = new IniKeys.Parse(ini.source(), section, key, v.line(), b.warnings);
                java.util.Optional<IniKeys.Key> def = IniKeys.find(section, key);
                if (def.isEmpty()) {
                    p.warn("is unknown, ignored");
                    continue;
                }
                if (section.equals("db") && key.equals("host")) {
                    dbHostLine = v.line();
                }
                if (section.equals("main") && key.equals("heap_free_min_percent")) {
                    heapFreeMinLine = v.line();
                }
                if (section.equals("main") && key.equals("heap_free_max_percent")) {
                    heapFreeMaxLine = v.line();
                }
                try {
                    def.get().applier().apply(b, v, p);
                } catch (IllegalArgumentException e) { // a builder refused the value
                    throw p.bad(e.getMessage());
                }
            }
        }
        String envPw = env.get(LauncherConfig.ENV_PASSWORD);
        if (envPw != null && !envPw.isEmpty()) {
            b.password(envPw);
        }
        String envDbPw = env.get(LauncherConfig.ENV_DB_PASSWORD);
        if (envDbPw != null) {
            b.dbPassword(envDbPw);
        }
        if (b.dbHost != null && b.dbUrl == null) {
            for (String[] required : new String[][] {{"name", b.dbName}, {"user", b.dbUser}}) {
                if (required[1] == null) {
                    throw new ConfigException(ini.source(), dbHostLine, "host: [db] " + required[0]
                            + " is required with [db] host");
                }
            }
        }
        if (b.heapFreeMinPercent > b.heapFreeMaxPercent) {
            throw heapFreeMaxLine > 0
                    ? new ConfigException(ini.source(), heapFreeMaxLine, "heap_free_max_percent: '" + b.heapFreeMaxPercent
                            + "' is below [main] heap_free_min_percent (expected: >= " + b.heapFreeMinPercent + ")")
                    : new ConfigException(ini.source(), heapFreeMinLine, "heap_free_min_percent: '" + b.heapFreeMinPercent
                            + "' is above [main] heap_free_max_percent (expected: <= " + b.heapFreeMaxPercent + ")");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.source() + ": " + e.getMessage());
        }
    }
}
