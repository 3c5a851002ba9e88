package io.comet.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar comet-server.jar [--conf comet.ini] [--ws-port N] [--cometql-port N]}: starts Comet with the file's settings
 * or, with no file, the defaults (HTTP/WebSocket on 8087, CometQL on 3300, H2 store under
 * {@code ./data}, a CometQL password generated once and kept there). Stops gracefully on SIGTERM /
 * Ctrl-C within {@code [main] shutdown_timeout}, and exits anyway when that is exceeded.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    /** Looked up when no {@code --conf} is given, before {@code ./comet.ini} (cometql.md §7). */
    static final Path SYSTEM_CONF = Path.of("/etc/comet-server/comet.ini");

    private Main() {
    }

    /**
     * Runs the server until SIGTERM / Ctrl-C.
     *
     * @param args {@code [--conf comet.ini] [--ws-port N] [--cometql-port N]}
     * @throws Exception if the main thread is interrupted while the server runs
     */
    public static void main(String[] args) throws Exception {
        Path conf = null;
        Integer wsPort = null;
        Integer cometqlPort = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--conf", "-c" -> {
                    if (i + 1 >= args.length) {
                        fail("--conf needs a file name");
                    }
                    conf = Path.of(args[++i]);
                }
                case "--ws-port" -> {
                    if (i + 1 >= args.length) {
                        fail("--ws-port needs a number");
                    }
                    try {
                        wsPort = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        fail("--ws-port: '" + args[i] + "' is not a number");
                    }
                }
                case "--cometql-port" -> {
                    if (i + 1 >= args.length) {
                        fail("--cometql-port needs a number");
                    }
                    try {
                        cometqlPort = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        fail("--cometql-port: '" + args[i] + "' is not a number");
                    }
                }
                case "--help", "-h" -> {
                    usage();
                    return;
                }
                default -> fail("unknown argument '" + args[i] + "' (try --help)");
            }
        }
        LauncherConfig config;
        try {
            if (conf == null) {
                for (Path candidate : new Path[] {SYSTEM_CONF, Path.of("comet.ini")}) {
                    if (Files.isRegularFile(candidate)) {
                        conf = candidate;
                        break;
                    }
                }
            }
            if (conf == null) {
                config = LauncherConfig.defaults();
                log.info("no --conf given and no {} or ./comet.ini: running on the defaults", SYSTEM_CONF);
            } else {
                if (!Files.isRegularFile(conf)) {
                    fail("config file not found: " + conf);
                }
                config = LauncherConfig.fromIni(IniFile.read(conf));
                log.info("configuration read from {}", conf.toAbsolutePath());
            }
        } catch (ConfigException e) {
            fail(e.getMessage());
            return;
        }
        if (wsPort != null || cometqlPort != null) {
            try {
                if (cometqlPort != null && (cometqlPort < 0 || cometqlPort > 65_535)) {
                    throw new IllegalArgumentException("'" + cometqlPort + "' out of range (expected: 0..65535)");
                }
                config = config.withPorts(wsPort != null ? wsPort : config.web().port(),
                        cometqlPort != null ? cometqlPort : config.cometqlPort());
            } catch (IllegalArgumentException e) {
                fail("--ws-port/--cometql-port: " + e.getMessage());
            }
        }
        // Only here, when this JVM is the server: before the listeners, so the heap sizing holds from
        // the first connection. An application that embeds Comet keeps its JVM as it is.
        NativeHeapTrimmer trimmer = null;
        if (config.jvmMemoryTuning()) {
            JvmMemoryTuning.apply(config.heapFreeMinPercent(), config.heapFreeMaxPercent(), config.idleGcSeconds());
            trimmer = NativeHeapTrimmer.start();
        }
        // The hook is in place before the listeners: a SIGTERM right after the start line stops the
        // server gracefully once it is up (the hook waits for the start to finish).
        CompletableFuture<CometServerLauncher> running = new CompletableFuture<>();
        Duration deadline = config.shutdownTimeout();
        CountDownLatch stopped = new CountDownLatch(1);
        NativeHeapTrimmer started = trimmer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread closer = new Thread(() -> {
                try {
                    running.join().close();
                } catch (java.util.concurrent.CompletionException notStarted) {
                    // the start failed and was reported
                } finally {
                    if (started != null) {
                        started.close();
                    }
                    stopped.countDown();
                }
            }, "comet-close");
            closer.setDaemon(true);
            closer.start();
            try {
                if (!stopped.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.error("shutdown deadline of {} s ([main] shutdown_timeout) exceeded: exiting now",
                            deadline.toSeconds());
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "comet-shutdown"));
        try {
            CometServerLauncher launcher = CometServerLauncher.start(config);
            ReloadSignal.install(launcher.server());
            running.complete(launcher);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            running.completeExceptionally(e);
            fail(e.getMessage());
            return;
        } catch (RuntimeException | Error e) {
            running.completeExceptionally(e);
            throw e;
        }
        stopped.await();
    }

    private static void usage() {
        log.info("usage: java -jar comet-server.jar [--conf comet.ini] [--ws-port N] [--cometql-port N]  (override [ws] port / [cometql] port; 0 = any free port)");
    }

    private static void fail(String message) {
        log.error(message);
        System.exit(2);
    }
}
