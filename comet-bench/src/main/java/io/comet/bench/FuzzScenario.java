package io.comet.bench;

/**
 * The fuzz scenario (issue 13 point 7): bad input at the server, then proof that it still serves
 * a browser upgrade and a CometQL insert, with its memory before and after.
 */
final class FuzzScenario {
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    FuzzScenario(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    void run() throws Exception {
        long pid = target.serverPid();
        Result r = new Result("fuzz");
        long heap0 = ServerProcess.heapUsedKb(pid, true);
        long rss0 = ServerProcess.rssKb(pid);
        int n = Fuzz.inputs(profile);
        Fuzz f = new Fuzz(target, 13);
        long t0 = System.nanoTime();
        f.run(n);
        double secs = (System.nanoTime() - t0) / 1e9;
        r.param("inputs", n).fig("seconds", secs).fig("inputs_per_s", n / secs).fig("connections", f.connections)
                .fig("closed_by_server", f.closedByServer);
        // still serving: a browser upgrade and a CometQL login answer
        try (RawQlSession q = RawQlSession.connect(target)) {
            q.update("INSERT INTO pipes_messages (name, event, message) VALUES ('web_fuzz', 'e', 'after')");
        } catch (Exception e) {
            r.fail("CometQL no longer serves after fuzzing: " + e);
        }
        try (java.net.Socket s = new java.net.Socket(target.host(), target.wsPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /ws/sesion=x&myid=0&devid=0&v=4.08&uuid=after&api=js HTTP/1.1\r\nHost: x\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            if (!new String(head, java.nio.charset.StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                r.fail("WebSocket upgrade after fuzzing answered " + new String(head, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        Thread.sleep(1000); // let the last closes settle before measuring
        r.fig("live_heap_kb_before", heap0).fig("live_heap_kb_after", ServerProcess.heapUsedKb(pid, true))
                .fig("rss_kb_before", rss0).fig("rss_kb_after", ServerProcess.rssKb(pid));
        if (ctx.serverLog != null) {
            serverLogFigures(r, ctx.serverLog);
        }
        report.add(r);
    }

    /**
     * What the server logged while fuzzed: Netty's leak reports ({@code LEAK:}, printed only when
     * the server runs with {@code -Dio.netty.leakDetection.level=paranoid} or another level that
     * samples, e.g. through {@code --server-jvm-opts}) fail the step; stack-trace lines and
     * WARN/ERROR lines are counted (bad input is logged as one line per incident, no trace).
     */
    private static void serverLogFigures(Result r, java.nio.file.Path log) throws java.io.IOException {
        long leaks = 0;
        long traceLines = 0;
        long errors = 0;
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains("LEAK:")) {
                    leaks++;
                } else if (l.startsWith("\tat ") || l.startsWith("Caused by:")) {
                    traceLines++;
                } else if (l.contains(" ERROR ")) {
                    errors++;
                }
            }
        }
        r.fig("server_log_leak_reports", leaks).fig("server_log_stack_trace_lines", traceLines)
                .fig("server_log_error_lines", errors);
        if (leaks > 0) {
            r.fail(leaks + " Netty leak report(s) in the server log " + log);
        }
    }
}
