package io.comet.examples;

import io.comet.server.CometServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one example with an embedded Comet server and prints where to open it:
 *
 * <pre>
 * java -jar examples/target/comet-examples.jar chat     # (a) public chat on web_chat, delivery report
 * java -jar examples/target/comet-examples.jar auth     # (b) authenticated chat, Java backend over CometQL
 * java -jar examples/target/comet-examples.jar online   # (c) who is online: track_online + users_in_pipes
 * java -jar examples/target/comet-examples.jar notify   # (d) private notifications: users_messages
 * java -jar examples/target/comet-examples.jar backend --comet 127.0.0.1:8087 --cometql 127.0.0.1:3300 --password P
 *                                                        # only the backend of b–d, for a standalone comet-server.jar
 * </pre>
 *
 * Options: {@code --ip A} (default 127.0.0.1), {@code --ws-port N} (default 8087),
 * {@code --cometql-port N} (default 3300), {@code --http-port N} (the backend, default 8080),
 * {@code --password P} (CometQL password, default {@code comet}); any port may be 0.
 * Stop with Ctrl-C.
 */
public final class Examples {

    private Examples() {
    }

    /** A running example: the Comet server, the backend (absent for the public chat) and the URL to open. */
    public record Running(CometServer comet, AppBackend backend, CometQl cometql, String url) implements AutoCloseable {
        @Override
        public void close() {
            if (backend != null) {
                backend.close();
            }
            if (cometql != null) {
                cometql.close();
            }
            if (comet != null) {
                comet.close();
            }
        }
    }

    /**
     * Command-line settings. {@code externalComet} / {@code externalCometQl} ({@code host:port})
     * are set only for {@code backend}, which uses a Comet server running elsewhere.
     */
    public record Options(String example, String ip, int wsPort, int cometqlPort, int httpPort, String password,
            String externalComet, String externalCometQl) {
        /**
         * Everything on free ports of 127.0.0.1 (tests).
         *
         * @param example the example
         * @return the options
         */
        public static Options ephemeral(String example) {
            return new Options(example, "127.0.0.1", 0, 0, 0, "comet", null, null);
        }
    }

    /**
     * Runs one example until Ctrl-C.
     *
     * @param args {@code chat|auth|online|notify|backend} and the options above
     * @throws Exception if the pages cannot be copied or a port cannot be bound
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            usage(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        Running r = start(o, WebRoot.extract());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            r.close();
            stopped.countDown();
        }, "comet-examples-stop"));
        System.out.println();
        System.out.println("Comet example '" + o.example() + "' is running.");
        System.out.println("  open:    " + r.url());
        if (r.comet() != null) {
            System.out.println("  comet:   " + "http://" + r.comet().node() + "  (WebSocket, long-poll, /comet.js)");
            System.out.println("  cometql: mysql -h 127.0.0.1 -P " + r.comet().cometqlPort() + " -u root -p"
                    + o.password() + " --skip-ssl CometQL_v1");
        } else {
            System.out.println("  also:    " + r.url().replace("/auth/", "/online/") + "  and  "
                    + r.url().replace("/auth/", "/notify/"));
            System.out.println("  comet:   " + o.externalComet() + ", CometQL " + o.externalCometQl());
        }
        if (r.backend() != null) {
            System.out.println("  users:   victor, dimon, olga, kate, masha (password qwerty)");
        }
        System.out.println("Ctrl-C stops it.");
        stopped.await();
    }

    /**
     * Starts the example {@code o.example()} with pages from {@code webRoot}.
     *
     * @param o the o
     * @param webRoot the web root
     * @return the running example
     * @throws java.io.IOException if the backend cannot bind its port
     */
    public static Running start(Options o, Path webRoot) throws IOException {
        if (o.example().equals("backend")) {
            CometQl cometql = new CometQl("jdbc:mysql://" + o.externalCometQl() + "/CometQL_v1", "root", o.password());
            try {
                AppBackend backend = AppBackend.start(o.ip(), o.httpPort(), cometql, o.externalComet(), webRoot);
                String host = o.ip().equals("0.0.0.0") ? "127.0.0.1" : o.ip();
                return new Running(null, backend, cometql, "http://" + host + ":" + backend.port() + "/auth/index.html");
            } catch (IOException | RuntimeException e) {
                cometql.close();
                throw e;
            }
        }
        CometServer comet = CometServer.builder().ip(o.ip()).webPort(o.wsPort()).cometqlPort(o.cometqlPort())
                .password(o.password()).baseDir(webRoot).webThreads(2).start();
        if (o.example().equals("chat")) {
            return new Running(comet, null, null, comet.pageUrl() + "public/index.html");
        }
        CometQl cometql = new CometQl(comet.jdbcUrl(), "root", o.password());
        try {
            AppBackend backend = AppBackend.start(o.ip(), o.httpPort(), cometql, comet.node(), webRoot);
            String host = o.ip().equals("0.0.0.0") ? "127.0.0.1" : o.ip();
            return new Running(comet, backend, cometql,
                    "http://" + host + ":" + backend.port() + "/" + o.example() + "/index.html");
        } catch (IOException | RuntimeException e) {
            cometql.close();
            comet.close();
            throw e;
        }
    }

    static Options parse(String[] args) {
        String example = null;
        String ip = "127.0.0.1";
        int ws = 8087;
        int ql = 3300;
        int http = 8080;
        String password = "comet";
        String comet = null;
        String cometQl = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--ip" -> ip = value(args, ++i, a);
                case "--ws-port" -> ws = port(value(args, ++i, a), a);
                case "--cometql-port" -> ql = port(value(args, ++i, a), a);
                case "--http-port" -> http = port(value(args, ++i, a), a);
                case "--password" -> password = value(args, ++i, a);
                case "--comet" -> comet = hostPort(value(args, ++i, a), a);
                case "--cometql" -> cometQl = hostPort(value(args, ++i, a), a);
                case "chat", "auth", "online", "notify", "backend" -> example = a;
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (example == null) {
            throw new IllegalArgumentException("which example? (expected: chat, auth, online, notify or backend)");
        }
        if (example.equals("backend") != (comet != null && cometQl != null)) {
            throw new IllegalArgumentException("--comet HOST:PORT and --cometql HOST:PORT go with (and only with) backend");
        }
        return new Options(example, ip, ws, ql, http, password, comet, cometQl);
    }

    private static String hostPort(String v, String option) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || !v.substring(colon + 1).matches("[0-9]{1,5}") || !v.substring(0, colon).matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException(option + ": " + v + " (expected: host:port)");
        }
        return v;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": missing value");
        }
        return args[i];
    }

    private static int port(String v, String option) {
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException(option + ": " + v + " (expected: 0..65535)");
    }

    private static void usage(PrintStream out, String error) {
        out.println("error: " + error);
        out.println("usage: java -jar examples/target/comet-examples.jar chat|auth|online|notify"
                + " [--ip A] [--ws-port N] [--cometql-port N] [--http-port N] [--password P]");
        out.println("       java -jar examples/target/comet-examples.jar backend --comet HOST:PORT --cometql HOST:PORT"
                + " [--password P] [--ip A] [--http-port N]");
    }
}
