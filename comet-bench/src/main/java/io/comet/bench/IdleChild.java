package io.comet.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM holding a slice of the idle tabs, because one process may not open more files
 * than {@code ulimit -Hn}. Driven over stdin/stdout by {@link ChildPool}, one line per command:
 * {@code OPEN n} → {@code OPENED <held> <ok> <failed> <millis>}, {@code CLOSE} →
 * {@code CLOSED <closedByServer> <closeFramesFromServer>}, {@code EXIT}.
 */
final class IdleChild {
    private IdleChild() {
    }

    static void run(Target target, int sourceBase, int sourceAddrs, boolean statistics, int idBase)
            throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // only protocol lines on stdout
        List<Conn> held = new ArrayList<>();
        try (BenchClient client = new BenchClient(target, 0, sourceAddrs, sourceBase, true, statistics)) {
            out.println("READY " + client.transport);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            int nextId = idBase;
            while ((line = in.readLine()) != null) {
                String[] p = line.trim().split("\\s+");
                switch (p[0]) {
                    case "OPEN" -> {
                        int n = Integer.parseInt(p[1]);
                        List<Conn> batch = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            batch.add(Conn.anonymous(nextId++, null, null));
                        }
                        Opener.Result r = client.open(batch, 500, 3, 120_000);
                        held.addAll(batch);
                        out.println("OPENED " + BenchClient.countOpen(held) + " " + r.opened() + " " + r.failed()
                                + " " + r.elapsedNanos() / 1_000_000);
                    }
                    case "CLOSE" -> {
                        int byServer = client.closeGracefully(held, 5000);
                        long frames = 0;
                        for (Conn c : held) {
                            frames += c.closeFrames;
                        }
                        held.clear();
                        out.println("CLOSED " + byServer + " " + frames);
                    }
                    case "EXIT" -> {
                        return;
                    }
                    default -> out.println("ERROR unknown command " + line);
                }
            }
        }
    }
}
