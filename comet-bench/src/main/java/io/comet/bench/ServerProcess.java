package io.comet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Comet server jar started by the bench as a child process on free loopback ports (found by
 * binding port 0 and releasing it: acceptable for a benchmark), so the bench knows its pid for
 * RSS and heap readings. Also the static helpers that read a server's memory by pid.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern HEAP_LINE = Pattern.compile("total (\\d+)K, used (\\d+)K");

    final Process process;
    final Target target;
    final Path dir;
    final Path log;
    final String command;

    private ServerProcess(Process process, Target target, Path dir, Path log, String command) {
        this.process = process;
        this.target = target;
        this.dir = dir;
        this.log = log;
        this.command = command;
    }

    static ServerProcess start(Path jar, String jvmOpts, String password, int devId, long timeoutMillis)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar not found: " + jar.toAbsolutePath());
        }
        int ws = freePort();
        int cql = freePort();
        while (cql == ws) {
            cql = freePort();
        }
        Path dir = Files.createTempDirectory("comet-bench-server");
        Path ini = dir.resolve("comet.ini");
        Files.writeString(ini, "; written by comet-bench\n"
                + "[main]\npassword = " + password + "\n\n"
                + "[ws]\nip = 127.0.0.1\nport = " + ws + "\n\n"
                + "[cometql]\nip = 127.0.0.1\nport = " + cql + "\n", StandardCharsets.UTF_8);
        Path log = dir.resolve("server.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmOpts != null && !jvmOpts.isBlank()) {
            for (String o : jvmOpts.trim().split("\\s+")) {
                cmd.add(o);
            }
        }
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.add("--conf");
        cmd.add(ini.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Target t = new Target("127.0.0.1", ws, cql, password, devId, p.pid(), false);
        ServerProcess sp = new ServerProcess(p, t, dir, log, String.join(" ", cmd));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!(listening(ws) && listening(cql))) {
            if (!p.isAlive()) {
                throw new IOException("server exited with " + p.exitValue() + ":\n" + sp.logTail(40));
            }
            if (System.nanoTime() > deadline) {
                sp.close();
                throw new IOException("server not listening on " + ws + "/" + cql + " after "
                        + timeoutMillis + " ms:\n" + sp.logTail(40));
            }
            Thread.sleep(100);
        }
        return sp;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        // the server's store (H2 under ./data by default); comet.ini and server.log stay
        Path data = dir.resolve("data");
        if (Files.isDirectory(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory; best effort
            }
        }
    }

    /** VmRSS of a process in KiB, or -1. */
    static long rssKb(long pid) {
        return procStatus(pid, "VmRSS:");
    }

    /** Threads of a process, or -1. */
    static long threads(long pid) {
        return procStatus(pid, "Threads:");
    }

    private static long procStatus(long pid, String key) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith(key)) {
                    return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Open file descriptors of a process, or -1. */
    static long fds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Java heap used (KiB) as {@code jcmd <pid> GC.heap_info} reports it, after a full GC when
     * {@code gcFirst}: the live heap. -1 when jcmd is unavailable or the pid is no JVM.
     */
    static long heapUsedKb(long pid, boolean gcFirst) {
        if (pid <= 0) {
            return -1;
        }
        try {
            if (gcFirst) {
                jcmd(pid, "GC.run");
            }
            String out = jcmd(pid, "GC.heap_info");
            long used = 0;
            boolean found = false;
            for (String l : out.split("\n")) {
                Matcher m = HEAP_LINE.matcher(l);
                if (m.find() && !l.contains("Metaspace") && !l.contains("class space")) {
                    used += Long.parseLong(m.group(2));
                    found = true;
                }
            }
            return found ? used : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * {@code jcmd <pid> GC.class_histogram} (which runs a full GC first) as class name → bytes;
     * empty when unavailable.
     */
    static java.util.Map<String, Long> classHistogram(long pid) {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        if (pid <= 0) {
            return m;
        }
        try {
            for (String l : jcmd(pid, "GC.class_histogram").split("\n")) {
                String[] p = l.trim().split("\\s+");
                if (p.length >= 4 && p[0].endsWith(":")) {
                    m.merge(p[3], Long.parseLong(p[2]), Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    private static final Pattern NMT_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    /**
     * Committed memory by category (KiB) from {@code jcmd <pid> VM.native_memory summary}; empty
     * unless the server runs with {@code -XX:NativeMemoryTracking=summary}.
     */
    static java.util.Map<String, Long> nativeMemory(long pid) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        if (pid <= 0) {
            return m;
        }
        try {
            for (String l : jcmd(pid, "VM.native_memory", "summary").split("\n")) {
                Matcher x = NMT_LINE.matcher(l.trim());
                if (x.find()) {
                    m.put(x.group(1).trim(), Long.parseLong(x.group(2)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    static String jcmd(long pid, String... args) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd");
        cmd.add(Long.toString(pid));
        for (String a : args) {
            cmd.add(a);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd timed out");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
