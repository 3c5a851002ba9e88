package io.comet.launcher;

import io.comet.server.CometServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SIGHUP} (e.g. {@code systemctl reload comet}, {@code kill -HUP <pid>}) re-reads the TLS
 * certificate files of both listeners at once, without waiting for the periodic check. Only the
 * launcher installs it: an embedding application keeps its JVM's signal handlers.
 */
final class ReloadSignal {

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private ReloadSignal() {
    }

    /** Installs the handler (once the server runs); a JVM without {@code sun.misc.Signal} logs why and goes on. */
    @SuppressWarnings("removal")
    static void install(CometServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                boolean changed = server.reloadTls();
                log.info("SIGHUP: TLS certificates {}", changed ? "reloaded" : "unchanged (or not configured)");
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            log.warn("SIGHUP cannot be handled here ({}): TLS certificates are reloaded by the file check only", e.toString());
        }
    }
}
