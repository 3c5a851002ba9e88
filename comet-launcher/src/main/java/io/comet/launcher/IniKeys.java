package io.comet.launcher;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of {@code comet.ini} keys (cometql.md §7 plus Comet's own): section, key,
 * default, README level, meaning and how the value is applied (the big sections' keys are listed
 * by {@code MainKeys}, {@code DbKeys}, {@code WsKeys}, {@code CometQlKeys} and {@code LogKeys},
 * the small ones here). {@link LauncherConfig#fromIni} parses with it and {@code ReadmeTableTest}
 * checks the README table against it, so the two cannot drift.
 */
public final class IniKeys {

    /** README grouping (HikariCP style). */
    public enum Level {
        /** Keys nearly every installation sets. */
        ESSENTIAL("Essentials"),
        /** Keys many installations set. */
        FREQUENT("Frequently used"),
        /** Keys for special cases. */
        RARE("Rarely used");

        private final String title;

        Level(String title) {
            this.title = title;
        }

        /** {@return the README heading} */
        public String title() {
            return title;
        }
    }

    /** What Comet does with a key. */
    public enum Kind {
        /** Mapped to an engine, transport, CometQL, store or launcher setting. */
        APPLIED,
        /** Accepted, has no meaning in Comet: a one-time warning at start. */
        IGNORED
    }

    /** Applies one value to the builder being filled. */
    @FunctionalInterface
    interface Applier {
        void apply(LauncherConfigBuilder b, IniFile.Value v, Parse p);
    }

    /**
     * One key. {@code key} {@code "*"} stands for any key of the section (e.g. {@code [content-type] <ext>}).
     */
    public record Key(String section, String key, String defaultValue, Level level, Kind kind, String meaning,
                      Applier applier) {

        /** {@return {@code [section] key} as written in the README} */
        public String label() {
            return "[" + section + "] " + (key.equals("*") ? "<any>" : key);
        }
    }

    /** Comet loggers that the original's {@code [log]} subsystem names map to (several: separated by {@code " "}). */
    static final Map<String, String> LOG_SUBSYSTEMS = LogKeys.SUBSYSTEMS;
    /** {@code [log]} subsystem names of the original that have no counterpart in Comet. */
    static final List<String> LOG_SUBSYSTEMS_WITHOUT_COUNTERPART = LogKeys.SUBSYSTEMS_WITHOUT_COUNTERPART;

    /** Every key, in README order. */
    private static final List<Key> KEYS;

    static {
        IniKeyList keys = new IniKeyList();
        MainKeys.register(keys);
        DbKeys.register(keys);
        WsKeys.register(keys);
        CometQlKeys.register(keys);
        RedisIniKeys.register(keys);
        registerSmallSections(keys);
        LogKeys.register(keys);
        keys.ignored("sip", "*", "—", "Video calls of the original: not part of Comet.");
        keys.ignored("freeswitch", "*", "—", "Video calls through FreeSWITCH: not part of Comet.");
        KEYS = keys.keys();
    }

    private IniKeys() {
    }

    /** {@code [statistics]}, {@code [benchmark]} and {@code [content-type]}. */
    private static void registerSmallSections(IniKeyList keys) {
        keys.applied("statistics", "to_log", "false", Level.RARE,
                "Log the load measurements taken every `[ws] statistics` seconds (logger `io.comet.launcher.statistics`).",
                (b, v, p) -> b.statisticsToLog(p.bool(v)));
        keys.ignored("statistics", "allow", "true", "Phone-home usage report of the original: never implemented.");
        keys.ignored("statistics", "interval", "3600", "Phone-home report period: never implemented.");
        keys.ignored("statistics", "host", "—", "Phone-home report field: never implemented.");
        keys.ignored("statistics", "email", "—", "Phone-home report field: never implemented.");
        keys.ignored("statistics", "profiler", "—", "Internal profiler switch of the original.");
        keys.applied("benchmark", "to_log", "false", Level.RARE, "Legacy alias of `[statistics] to_log`.",
                (b, v, p) -> b.statisticsToLog(p.bool(v)));

        keys.applied("content-type", "*", "common web types", Level.RARE,
                "`<ext> = <mime/type>`: MIME type of static files with that extension (`[main] base_dir`).",
                (b, v, p) -> b.web(w -> w.contentType(p.key(), p.nonEmpty(v))));
    }

    /** {@return every key, in README order within each section} */
    public static List<Key> all() {
        return List.copyOf(KEYS);
    }

    /**
     * The key definition for {@code [section] key}: exact match first, then the section's {@code *} entry.
     *
     * @param section the section
     * @param key the key
     * @return the key definition for {@code [section] key}
     */
    public static Optional<Key> find(String section, String key) {
        Key any = null;
        for (Key k : KEYS) {
            if (k.section().equals(section)) {
                if (k.key().equals(key)) {
                    return Optional.of(k);
                }
                if (k.key().equals("*")) {
                    any = k;
                }
            }
        }
        return Optional.ofNullable(any);
    }

    /** {@return the README table (Markdown), grouped by level} */
    public static String readmeTable() {
        StringBuilder sb = new StringBuilder();
        for (Level level : Level.values()) {
            sb.append("### ").append(level.title()).append("\n\n");
            sb.append("| key | default | applied | meaning |\n|---|---|---|---|\n");
            for (Key k : KEYS) {
                if (k.level() == level) {
                    sb.append("| `").append(k.label()).append("` | ").append(k.defaultValue()).append(" | ")
                            .append(k.kind() == Kind.APPLIED ? "yes" : "ignored, warns").append(" | ")
                            .append(k.meaning()).append(" |\n");
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Value parsing for one key: every failure names the file, line and key. */
    static final class Parse {
        private final String source;
        private final String section;
        private final String key;
        private final int line;
        private final List<String> warnings;

        Parse(String source, String section, String key, int line, List<String> warnings) {
            this.source = source;
            this.section = section;
            this.key = key;
            this.line = line;
            this.warnings = warnings;
        }

        String key() {
            return key;
        }

        ConfigException bad(String reason) {
            return new ConfigException(source, line, key + ": " + reason);
        }

        void warn(String what) {
            warnings.add(source + ":" + line + ": [" + section + "] " + key + " " + what);
        }

        boolean bool(IniFile.Value v) {
            String t = v.text();
            if (t.equals("true") || t.equals("True") || t.equals("TRUE")) {
                return true;
            }
            if (t.equals("false") || t.equals("False") || t.equals("FALSE")) {
                return false;
            }
            throw bad("'" + t + "' is not a boolean (expected: true or false)");
        }

        int integer(IniFile.Value v, int min, int max) {
            long n;
            try {
                n = Long.parseLong(v.text());
            } catch (NumberFormatException e) {
                throw bad("'" + v.text() + "' is not a number");
            }
            if (n < min || n > max) {
                throw bad("'" + v.text() + "' out of range (expected: " + min + ".." + max + ")");
            }
            return (int) n;
        }

        String nonEmpty(IniFile.Value v) {
            if (v.text().isEmpty()) {
                throw bad("must not be empty");
            }
            return v.text();
        }

        /** {@code 0/100/200/300/400/500} or a Logback level name → a Logback level name. */
        String logLevel(IniFile.Value v) {
            String t = v.text();
            switch (t) {
                case "0":
                    return "OFF";
                case "100":
                case "200":
                    return "ERROR";
                case "300":
                    return "WARN";
                case "400":
                    return "INFO";
                case "500":
                    return "DEBUG";
                default:
                    break;
            }
            String u = t.toUpperCase(Locale.ROOT);
            if (List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(u)) {
                return u;
            }
            throw bad("'" + t + "' is not a log level (expected: 0, 100, 200, 300, 400, 500 or OFF/ERROR/WARN/INFO/DEBUG/TRACE)");
        }
    }
}
