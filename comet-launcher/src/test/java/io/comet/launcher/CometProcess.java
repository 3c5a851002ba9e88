package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shaded comet-server.jar as a child process in a working directory; output goes to a file. */
final class CometProcess implements AutoCloseable {

    private static final Pattern UP = Pattern.compile("Comet is up: (?:HTTP/WebSocket|HTTPS/WSS) on [0-9.]+:(\\d+)");
    private static final Pattern QL = Pattern.compile("CometQL \\(MySQL protocol\\) on [0-9.]+:(\\d+)");

    final Process process;
    final Path logFile;
    final int webPort;
    final int cometqlPort;

    private CometProcess(Process process, Path logFile, int webPort, int cometqlPort) {
        this.process = process;
        this.logFile = logFile;
        this.webPort = webPort;
        this.cometqlPort = cometqlPort;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("comet.server.jar", "target/comet-server.jar"));
        assertThat(jar).as("the shaded jar built by `package`").exists();
        return jar;
    }

    /** Starts {@code java -jar comet-server.jar --conf ini} in {@code dir} and waits for both listeners. */
    static CometProcess start(Path dir, Path ini, String name) throws Exception {
        return start(dir, ini, name, List.of("-Xmx256m"), false);
    }

    /**
     * {@link #start(Path, Path, String)} with exactly these JVM options: {@code JAVA_TOOL_OPTIONS} and
     * {@code JDK_JAVA_OPTIONS} of the test's environment are not passed on.
     */
    static CometProcess startWithJvmOptions(Path dir, Path ini, String name, List<String> jvmOptions) throws Exception {
        return start(dir, ini, name, jvmOptions, true);
    }

    private static CometProcess start(Path dir, Path ini, String name, List<String> jvmOptions, boolean onlyThese)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.add("--conf");
        cmd.add(ini.toString());
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove(LauncherConfig.ENV_PASSWORD);
        if (onlyThese) {
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
        }
        Process p = pb.start();
        int web = Integer.parseInt(awaitLine(p, log, UP, 60).group(1));
        int ql = Integer.parseInt(awaitLine(p, log, QL, 10).group(1));
        return new CometProcess(p, log, web, ql);
    }

    static Matcher awaitLine(Process p, Path log, Pattern pattern, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean dead = p != null && !p.isAlive();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            if (dead || System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " in:\n" + Files.readString(log));
            }
            LockSupport.parkNanos(20_000_000); // polling a file with a deadline
        }
    }

    String log() throws Exception {
        return Files.readString(logFile, StandardCharsets.UTF_8);
    }

    Connection jdbc(String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + cometqlPort + "/CometQL_v1", "root", password);
    }

    /** SIGKILL and wait. */
    void kill9() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** SIGTERM, then SIGKILL if it has not exited within 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
