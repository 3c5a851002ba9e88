package io.comet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The child JVMs of the idle scenario; each holds at most {@code perProcess} tabs. */
final class ChildPool implements AutoCloseable {
    private static final class Child {
        Process process;
        BufferedReader in;
        PrintWriter out;
        int held;
    }

    private final Target target;
    private final int perProcess;
    private final boolean statistics;
    private final List<Child> children = new ArrayList<>();
    int lastFailed;

    ChildPool(Target target, int perProcess, boolean statistics) {
        this.target = target;
        this.perProcess = perProcess;
        this.statistics = statistics;
    }

    int processes() {
        return children.size();
    }

    private Child spawn() throws IOException {
        int k = children.size();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Xss256k");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("--child-idle");
        cmd.add("--host");
        cmd.add(target.host());
        cmd.add("--ws-port");
        cmd.add(Integer.toString(target.wsPort()));
        cmd.add("--cometql-port");
        cmd.add(Integer.toString(target.cqlPort()));
        cmd.add("--password");
        cmd.add(target.password());
        cmd.add("--dev-id");
        cmd.add(Integer.toString(target.devId()));
        cmd.add("--source-base");
        cmd.add(Integer.toString(2 + k * 4));
        cmd.add("--id-base");
        cmd.add(Integer.toString(1_000_000 * (k + 1)));
        if (!statistics) {
            cmd.add("--no-statistics");
        }
        Child c = new Child();
        c.process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        c.in = new BufferedReader(new InputStreamReader(c.process.getInputStream(), StandardCharsets.UTF_8));
        c.out = new PrintWriter(c.process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = c.in.readLine();
        if (ready == null || !ready.startsWith("READY")) {
            throw new IOException("child did not start: " + ready);
        }
        children.add(c);
        return c;
    }

    /** Brings the total number of held tabs to {@code total}; returns the number actually open. */
    int topUp(int total) throws IOException {
        int have = children.stream().mapToInt(c -> c.held).sum();
        int need = total - have;
        List<Child> asked = new ArrayList<>();
        for (Child c : children) {
            if (need <= 0) {
                break;
            }
            int n = Math.min(need, perProcess - c.held);
            if (n > 0) {
                c.out.println("OPEN " + n);
                asked.add(c);
                need -= n;
            }
        }
        while (need > 0) {
            Child c = spawn();
            int n = Math.min(need, perProcess);
            c.out.println("OPEN " + n);
            asked.add(c);
            need -= n;
        }
        int failed = 0;
        for (Child c : asked) {
            String r = c.in.readLine();
            if (r == null || !r.startsWith("OPENED")) {
                throw new IOException("child failed: " + r);
            }
            String[] p = r.split(" ");
            c.held = Integer.parseInt(p[1]);
            failed += Integer.parseInt(p[3]);
        }
        lastFailed = failed;
        return children.stream().mapToInt(c -> c.held).sum();
    }

    /** Closes every held tab (browser-style Close frame); returns {closedByServer, closeFrames}. */
    long[] closeAll() throws IOException {
        for (Child c : children) {
            c.out.println("CLOSE");
        }
        long byServer = 0;
        long frames = 0;
        for (Child c : children) {
            String r = c.in.readLine();
            if (r == null || !r.startsWith("CLOSED")) {
                throw new IOException("child failed: " + r);
            }
            String[] p = r.split(" ");
            byServer += Long.parseLong(p[1]);
            frames += Long.parseLong(p[2]);
            c.held = 0;
        }
        return new long[] {byServer, frames};
    }

    @Override
    public void close() throws InterruptedException {
        for (Child c : children) {
            c.out.println("EXIT");
        }
        for (Child c : children) {
            if (!c.process.waitFor(15, TimeUnit.SECONDS)) {
                c.process.destroyForcibly();
            }
        }
        children.clear();
    }
}
