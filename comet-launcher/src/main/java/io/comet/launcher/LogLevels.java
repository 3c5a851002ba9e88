package io.comet.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Applies {@code [log]} levels to Logback loggers at runtime. */
final class LogLevels {

    private LogLevels() {
    }

    /** Sets each logger's level; ignored when Logback is not the SLF4J binding (embedding). */
    static void apply(Map<String, String> levels) {
        for (Map.Entry<String, String> e : levels.entrySet()) {
            org.slf4j.Logger l = LoggerFactory.getLogger(e.getKey());
            if (l instanceof Logger logback) {
                logback.setLevel(Level.toLevel(e.getValue(), Level.INFO));
            }
        }
    }
}
