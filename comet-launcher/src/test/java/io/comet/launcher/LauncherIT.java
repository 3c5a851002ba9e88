package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.store.jdbc.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded {@code comet-server.jar} as a real process (failsafe, after {@code package}):
 * starts with a comet.ini and with no file at all, serves a WebSocket client, logs its
 * listeners, and stops cleanly on SIGTERM.
 */
class LauncherIT {

    private static final Pattern UP = Pattern.compile("Comet is up: HTTP/WebSocket on ([0-9.]+):(\\d+)");

    @TempDir
    Path tmp;

    /**
     * A running jar. Its output goes to a file (a pipe read concurrently loses the last lines
     * when the process exits, JDK ProcessPipeInputStream), and the file is scanned for lines.
     */
    private static final class Server {
        final Process process;
        final Path logFile;
        private int consumed;

        Server(List<String> args, Path dir) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-jar");
            cmd.add(jar().toString());
            cmd.addAll(args);
            logFile = Files.createTempFile(dir, "comet-server", ".log");
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
        }

        /** The next line (after the previous match) matching {@code p}, waiting up to {@code seconds}. */
        Matcher awaitLine(Pattern p, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                for (int i = consumed; i < lines.size(); i++) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        consumed = i + 1;
                        return m;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line matching " + p + " in:\n" + log());
                }
                LockSupport.parkNanos(20_000_000); // polling a file with a deadline
            }
        }

        String log() throws Exception {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("comet.server.jar", "target/comet-server.jar"));
        assertThat(jar).as("the shaded jar built by `package`").exists();
        return jar;
    }

    /** Connects like the v4 client and returns the first message (serverInfo). */
    private static String firstMessage(int port) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/sesion=&myid=0&devid=0&v=4.08&uuid=launcherit&api=js"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                first.complete(data.toString());
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    private static void stopWithSigterm(Server s) throws Exception {
        s.process.destroy(); // SIGTERM
        assertThat(s.process.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        // 143 = 128 + SIGTERM: the JVM's status after running the shutdown hook
        assertThat(s.process.exitValue()).isIn(0, 143);
        s.awaitLine(Pattern.compile("Comet stopped"), 5);
    }

    @Test
    void startsFromCometIniServesWebSocketAndStopsOnSigterm() throws Exception {
        Path ini = tmp.resolve("comet.ini");
        Files.writeString(ini, """
                ; minimal comet.ini
                [main]
                password = it-secret
                [ws]
                ip = 127.0.0.1
                port = 0      ; any free port, logged below
                host = *
                [cometql]
                ip = 127.0.0.1
                port = 0
                """);
        Server s = new Server(List.of("--conf", ini.toString()), tmp);
        try {
            Matcher up = s.awaitLine(UP, 30);
            int port = Integer.parseInt(up.group(2));
            assertThat(up.group(1)).isEqualTo("127.0.0.1");
            s.awaitLine(Pattern.compile("CometQL \\(MySQL protocol\\) on 127\\.0\\.0\\.1:\\d+"), 5);
            assertThat(firstMessage(port)).contains("\"event\":\"serverInfo\"").contains("\"authorized\":false");
            assertThat(s.log()).doesNotContain("generated CometQL password");
            stopWithSigterm(s);
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void startsWithNoFileAtAll() throws Exception {
        Server s = new Server(List.of("--ws-port", "0", "--cometql-port", "0"), tmp);
        try {
            Matcher up = s.awaitLine(UP, 30);
            assertThat(up.group(1)).isEqualTo("0.0.0.0");
            assertThat(s.log()).contains("no --conf given").contains("generated CometQL password")
                    .contains("store jdbc:h2:file:./data/comet");
            assertThat(tmp.resolve("data/comet.mv.db")).as("embedded H2 store under ./data").exists();
            assertThat(firstMessage(Integer.parseInt(up.group(2)))).contains("serverInfo");
            stopWithSigterm(s);
            assertThat(s.log().split("generated CometQL password", -1)).as("logged once").hasSize(2);
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void badConfigFailsFastWithFileAndLine() throws Exception {
        Path ini = tmp.resolve("bad.ini");
        Files.writeString(ini, "[ws]\nport = eighty\n");
        Server s = new Server(List.of("--conf", ini.toString()), tmp);
        assertThat(s.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process.exitValue()).isEqualTo(2);
        s.awaitLine(Pattern.compile("bad\\.ini:2: port: 'eighty' is not a number"), 5);
    }

    @Test
    void generatedPasswordIsKeptInTheDataDirAndLoggedOnlyAtTheFirstStart() throws Exception {
        Server first = new Server(List.of("--ws-port", "0", "--cometql-port", "0"), tmp);
        String password;
        try {
            Matcher gen = first.awaitLine(Pattern.compile("generated CometQL password: (\\S+) "), 30);
            first.awaitLine(UP, 30);
            password = gen.group(1);
            assertThat(tmp.resolve("data/cometql.password")).content().isEqualToIgnoringNewLines(password);
            stopWithSigterm(first);
        } finally {
            first.process.destroyForcibly();
        }
        Server second = new Server(List.of("--ws-port", "0", "--cometql-port", "0"), tmp);
        try {
            second.awaitLine(UP, 30);
            Matcher ql = second.awaitLine(Pattern.compile("CometQL \\(MySQL protocol\\) on [0-9.]+:(\\d+)"), 5);
            assertThat(second.log()).doesNotContain(password).doesNotContain("generated CometQL password:")
                    .contains("using the CometQL password generated at first start");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + ql.group(1)
                    + "/CometQL_v1", "root", password)) {
                assertThat(c.isValid(5)).as("the kept password logs in").isTrue();
            }
            stopWithSigterm(second);
        } finally {
            second.process.destroyForcibly();
        }
    }

    @Test
    void cometIniInTheWorkingDirectoryLogLevelsStatisticsPidFileAndWarnings() throws Exception {
        Files.writeString(tmp.resolve("comet.ini"), """
                [main]
                password = it-secret
                pidfile = ./run/comet.pid
                answer_buf_size = 5
                [ws]
                ip = 127.0.0.1
                port = 0
                statistics = 1
                [cometql]
                ip = 127.0.0.1
                port = 0
                [statistics]
                allow = true
                to_log = true
                [log]
                level = 300
                appConf = 400
                statistics = 400
                MySqlServer = 500
                [nonsense]
                what = 1
                """);
        Server s = new Server(List.of(), tmp); // no --conf: ./comet.ini is found
        try {
            s.awaitLine(UP, 30);
            Matcher ql = s.awaitLine(Pattern.compile("CometQL \\(MySQL protocol\\) on [0-9.]+:(\\d+)"), 5);
            Path pid = tmp.resolve("run/comet.pid");
            assertThat(pid).content().isEqualToIgnoringNewLines(Long.toString(s.process.pid()));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + ql.group(1)
                    + "/CometQL_v1", "root", "it-secret")) {
                assertThat(c.isValid(5)).isTrue();
            }
            s.awaitLine(Pattern.compile("DEBUG .* io\\.comet\\.cometql\\..* - CometQL login of 'root'"), 10);
            s.awaitLine(Pattern.compile("INFO .* io\\.comet\\.launcher\\.statistics - load: "), 10);
            String log = s.log();
            assertThat(log).as("[log] level = 300 silences io.comet.transport INFO").doesNotContain("HTTP/WebSocket listening");
            assertThat(log.split("\\[statistics\\] allow is accepted but has no meaning", -1)).as("warned once").hasSize(2);
            assertThat(log).contains("comet.ini:4: [main] answer_buf_size is accepted but has no meaning in Comet")
                    .contains("comet.ini:21: [nonsense] what is unknown, ignored");
            stopWithSigterm(s);
            assertThat(pid).as("pid file removed at a clean stop").doesNotExist();
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void shutdownDeadlineForcesTheExitWhenTheStoreHangs() throws Exception {
        org.h2.tools.Server h2 = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                tmp.toString()).start();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", h2.getPort())) {
            Path ini = tmp.resolve("deadline.ini");
            Files.writeString(ini, "[main]\npassword = it-secret\nshutdown_timeout = 2\n[ws]\nip = 127.0.0.1\nport = 0\n"
                    + "[cometql]\nip = 127.0.0.1\nport = 0\n[db]\nurl = jdbc:h2:tcp://127.0.0.1:" + proxy.port()
                    + "/comet\nconnection_attempts = 1\noperation_timeout = 60\n");
            Server s = new Server(List.of("--conf", ini.toString()), tmp);
            try {
                s.awaitLine(UP, 30);
                Matcher ql = s.awaitLine(Pattern.compile("CometQL \\(MySQL protocol\\) on [0-9.]+:(\\d+)"), 5);
                java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + ql.group(1)
                        + "/CometQL_v1", "root", "it-secret");
                proxy.stall();
                CompletableFuture<Integer> stuck = CompletableFuture.supplyAsync(() -> {
                    try (java.sql.Statement st = c.createStatement()) {
                        return st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (1, 'stuck')");
                    } catch (java.sql.SQLException e) {
                        return -1;
                    }
                });
                long waitFor = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (proxy.heldBytes() == 0) { // the INSERT reached the store, which now waits on the database
                    assertThat(System.nanoTime()).as("store write reached the stalled database").isLessThan(waitFor);
                    LockSupport.parkNanos(10_000_000);
                }
                long t0 = System.nanoTime();
                s.process.destroy(); // SIGTERM while a store write hangs
                assertThat(s.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(s.process.exitValue()).as("forced exit").isEqualTo(1);
                s.awaitLine(Pattern.compile("shutdown deadline of 2 s \\(\\[main\\] shutdown_timeout\\) exceeded: exiting now"), 5);
                assertThat(ms).as("exit close to the 2 s deadline").isLessThan(8000);
                assertThat(stuck.get(10, TimeUnit.SECONDS)).as("never acknowledged").isEqualTo(-1);
                System.out.println("forced exit " + ms + " ms after SIGTERM (deadline 2 s)");
            } finally {
                s.process.destroyForcibly();
            }
        } finally {
            h2.stop();
        }
    }
}
