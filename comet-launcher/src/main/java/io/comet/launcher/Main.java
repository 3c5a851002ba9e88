package io.comet.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar comet-server.jar [--conf comet.ini] [--ws-port N] [--cometql-port N]}: starts Comet with the file's settings
 * or, with no file, the defaults (HTTP/WebSocket on 8087, memory store, a generated CometQL
 * password logged once). Stops cleanly on SIGTERM / Ctrl-C.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private Main() {
    }

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
                config = LauncherConfig.defaults();
                log.info("no --conf given: running on the defaults");
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
        if (config.engine().password() == null) {
            String pw = generatePassword();
            config = config.withEngine(config.engine().toBuilder().password(pw).build());
            log.warn("[main] password is not configured; generated CometQL password for this run: {} "
                    + "(set [main] password in comet.ini to keep one)", pw);
        }
        CometServerLauncher comet;
        try {
            comet = CometServerLauncher.start(config);
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                comet.close();
            } finally {
                stopped.countDown();
            }
        }, "comet-shutdown"));
        stopped.await();
    }

    static String generatePassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void usage() {
        log.info("usage: java -jar comet-server.jar [--conf comet.ini] [--ws-port N] [--cometql-port N]  (override [ws] port / [cometql] port; 0 = any free port)");
    }

    private static void fail(String message) {
        log.error(message);
        System.exit(2);
    }
}
