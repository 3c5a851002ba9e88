package io.comet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Collects the results of one run and writes {@code <timestamp>-<profile>.json}, the same as a
 * markdown table {@code <timestamp>-<profile>.md}, and a copy {@code latest-<profile>.md}.
 */
final class Report {
    final String profile;
    final Instant started = Instant.now();
    final Map<String, Object> machine = new LinkedHashMap<>();
    final Map<String, Object> server = new LinkedHashMap<>();
    final List<Result> results = new ArrayList<>();

    Report(String profile) {
        this.profile = profile;
        Runtime rt = Runtime.getRuntime();
        machine.put("cores", rt.availableProcessors());
        machine.put("memory_mib", memTotalMib());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("open_files_limit", openFilesLimit());
        machine.put("commit", gitCommit());
    }

    void add(Result r) {
        results.add(r);
        System.out.println("[bench] " + r);
    }

    boolean allOk() {
        return results.stream().allMatch(r -> r.ok);
    }

    static long memTotalMib() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    static String openFilesLimit() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    String[] p = l.substring("Max open files".length()).trim().split("\\s+");
                    return p[0] + " soft / " + p[1] + " hard";
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }

    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    /** Writes the JSON and markdown files; returns the markdown path. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path json = dir.resolve(stamp + "-" + profile + ".json");
        Path md = dir.resolve(stamp + "-" + profile + ".md");
        Files.writeString(json, json(), StandardCharsets.UTF_8);
        String mdText = markdown();
        Files.writeString(md, mdText, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("latest-" + profile + ".md"), mdText, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("latest-" + profile + ".json"), json(), StandardCharsets.UTF_8);
        return md;
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("profile", profile);
        root.put("started", started.toString());
        root.put("duration_s", Result.round((System.currentTimeMillis() - started.toEpochMilli()) / 1000.0, 1));
        root.put("machine", machine);
        root.put("server", server);
        List<Object> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.scenario);
            m.put("ok", r.ok);
            m.put("params", r.params);
            m.put("figures", r.figures);
            m.put("notes", r.notes);
            rows.add(m);
        }
        root.put("results", rows);
        StringBuilder sb = new StringBuilder();
        write(sb, root, "");
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            sb.append("{");
            String in = indent + "  ";
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "\n" : ",\n").append(in);
                first = false;
                str(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), in);
            }
            sb.append(first ? "}" : "\n" + indent + "}");
        } else if (v instanceof Collection<?> c) {
            sb.append("[");
            boolean first = true;
            for (Object o : c) {
                sb.append(first ? "" : ", ");
                first = false;
                write(sb, o, indent);
            }
            sb.append("]");
        } else if (v instanceof Number || v instanceof Boolean) {
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                sb.append("null");
            } else {
                sb.append(v);
            }
        } else if (v == null) {
            sb.append("null");
        } else {
            str(sb, String.valueOf(v));
        }
    }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# comet-bench results: profile `").append(profile).append("`\n\n");
        sb.append("Run started ").append(started).append(", took ")
                .append(Result.round((System.currentTimeMillis() - started.toEpochMilli()) / 1000.0, 1))
                .append(" s. Load generator and server share the same machine.\n\n");
        sb.append("| machine | |\n|---|---|\n");
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
        }
        for (Map.Entry<String, Object> e : server.entrySet()) {
            sb.append("| server ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
        }
        sb.append(targets());
        sb.append("\n| scenario | parameters | figures | ok | notes |\n|---|---|---|---|---|\n");
        for (Result r : results) {
            sb.append("| ").append(r.scenario).append(" | ").append(kv(r.params)).append(" | ")
                    .append(kv(r.figures)).append(" | ").append(r.ok ? "yes" : "**NO**").append(" | ")
                    .append(cell(String.join("; ", r.notes))).append(" |\n");
        }
        return sb.toString();
    }

    /** The targets next to the figures of this run that speak to them. */
    String targets() {
        StringBuilder sb = new StringBuilder("\n| target (issue [6]) | this run |\n|---|---|\n");
        long held = 0;
        Object rssPerTab = null;
        for (Result r : results) {
            if (r.scenario.equals("idle") && r.figures.get("held") instanceof Number n && n.longValue() >= held) {
                held = n.longValue();
                rssPerTab = r.figures.get("rss_per_tab_b");
            }
        }
        Result model = find("idle-model");
        sb.append("| hold ≥ 19,000 idle tabs | ").append(held).append(" held |\n");
        sb.append("| server RSS ≤ 4 KB per idle tab beyond the empty server | ")
                .append(rssPerTab == null ? "n/a" : rssPerTab + " B at " + held)
                .append(model == null ? "" : "; model: " + model.figures.get("rss_per_tab_b") + " B/tab RSS, "
                        + model.figures.get("heap_per_tab_b") + " B/tab live heap, 1M tabs ≈ "
                        + model.figures.get("rss_at_1M_tabs_gb") + " GB RSS").append(" |\n");
        long best = 0;
        String bestAt = "n/a";
        String p99 = "n/a";
        for (Result r : results) {
            if (r.scenario.equals("fanout") && r.figures.get("deliveries_s") instanceof Number n) {
                boolean clean = r.ok;
                if (clean && n.longValue() > best) {
                    best = n.longValue();
                    bestAt = r.params.get("subscribers") + " subscribers, " + r.params.get("rate_msg_s") + " msg/s";
                }
                if (clean && "n/a".equals(p99) && r.figures.get("latency_p99_ms") != null) {
                    p99 = r.figures.get("latency_p99_ms") + " ms (" + r.params.get("subscribers") + " subscribers, "
                            + r.params.get("rate_msg_s") + " msg/s)";
                }
            }
        }
        sb.append("| fan-out ≥ 1,000,000 deliveries/s without loss | ").append(best).append("/s (").append(bestAt)
                .append(") |\n");
        sb.append("| p99 publish→receive ≤ 20 ms below saturation | ").append(p99).append(" at the lowest rate |\n");
        String cql = "n/a";
        for (Result r : results) {
            if (r.scenario.equals("cometql") && Integer.valueOf(16).equals(r.params.get("connections"))) {
                cql = r.figures.get("inserts_s") + "/s";
            }
        }
        sb.append("| CometQL ≥ 50,000 INSERT/s over 16 connections | ").append(cql).append(" |\n");
        Result soak = find("soak");
        sb.append("| soak: zero errors, lost, reordered | ").append(soak == null ? "n/a"
                : soak.figures.get("errors") + " errors, " + soak.figures.get("lost") + " lost, "
                + soak.figures.get("reordered") + " reordered over " + soak.params.get("seconds") + " s").append(" |\n");
        Result connect = find("connect-rate");
        sb.append("| ≥ 20,000 new connections/s | ").append(connect == null ? "n/a"
                : connect.figures.get("connects_s") + "/s").append(" |\n");
        Result rounds = find("idle-rounds");
        sb.append("| memory back to baseline after all leave, 5 rounds | ").append(rounds == null ? "n/a"
                : "live heap " + rounds.figures.get("growth_kb") + " KB above baseline after "
                + rounds.params.get("rounds") + " rounds").append(" |\n");
        return sb.toString();
    }

    private Result find(String scenario) {
        for (Result r : results) {
            if (r.scenario.equals(scenario)) {
                return r;
            }
        }
        return null;
    }

    private static String kv(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return cell(sb.toString());
    }

    private static String cell(Object o) {
        return String.valueOf(o).replace("|", "\\|").replace("\n", " ");
    }

    static String vmName() {
        return ManagementFactory.getRuntimeMXBean().getVmName();
    }
}
