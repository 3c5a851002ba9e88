package io.comet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used during a step by the server, by this bench process and by everything else on the
 * machine, in percent of one core (so a 2-core machine has 200 %), from {@code /proc}. The
 * "other" share tells when a figure was measured on a busy machine.
 */
final class CpuMeter {
    private final long serverPid;
    private long total;
    private long idle;
    private long server;
    private long self;
    private long selfSys;
    private long serverSys;

    private CpuMeter(long serverPid) {
        this.serverPid = serverPid;
    }

    static CpuMeter start(long serverPid) {
        CpuMeter m = new CpuMeter(serverPid);
        m.read();
        return m;
    }

    private void read() {
        long[] t = machine();
        total = t[0];
        idle = t[1];
        server = process(serverPid);
        self = process(ProcessHandle.current().pid());
        serverSys = system(serverPid);
        selfSys = system(ProcessHandle.current().pid());
    }

    /** Adds cpu_server_pct, cpu_bench_pct and cpu_other_pct for the time since {@link #start}. */
    void stop(Result r) {
        long[] t = machine();
        long dTotal = t[0] - total;
        long dBusy = dTotal - (t[1] - idle);
        if (dTotal <= 0) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double perCore = dTotal / (double) cores;
        long dServer = serverPid > 0 ? process(serverPid) - server : 0;
        long dSelf = process(ProcessHandle.current().pid()) - self;
        if (serverPid > 0) {
            r.fig("cpu_server_pct", Math.round(100 * dServer / perCore));
            r.fig("cpu_server_sys_pct", Math.round(100 * (system(serverPid) - serverSys) / perCore));
        }
        r.fig("cpu_bench_pct", Math.round(100 * dSelf / perCore));
        r.fig("cpu_bench_sys_pct", Math.round(100 * (system(ProcessHandle.current().pid()) - selfSys) / perCore));
        r.fig("cpu_other_pct", Math.max(0, Math.round(100 * (dBusy - dServer - dSelf) / perCore)));
    }

    private static long[] machine() {
        try {
            String[] p = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i <= 8 && i < p.length; i++) {
                sum += Long.parseLong(p[i]);
            }
            return new long[] {sum, Long.parseLong(p[4]) + Long.parseLong(p[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long process(long pid) {
        long[] t = times(pid);
        return t[0] + t[1];
    }

    private static long system(long pid) {
        return times(pid)[1];
    }

    /** {utime, stime} in jiffies. */
    private static long[] times(long pid) {
        if (pid <= 0) {
            return new long[2];
        }
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] p = s.substring(s.lastIndexOf(')') + 2).split("\\s+");
            // after the comm: state is field 3, utime 14, stime 15 (1-based over the whole line)
            return new long[] {Long.parseLong(p[11]), Long.parseLong(p[12])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }
}
