package io.comet.launcher;

import io.comet.launcher.IniKeys.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** The {@code [ws]} keys of comet.ini (the browser listener), in README order. */
final class WsKeys {

    private WsKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("ws", "port", "8087", Level.ESSENTIAL, "Browser listener port (HTTP, WebSocket, long-poll); 0 = any free port.",
                (b, v, p) -> b.web(w -> w.port(p.integer(v, 0, 65_535))));
        keys.applied("ws", "ip", "0.0.0.0", Level.ESSENTIAL, "Browser listener address.",
                (b, v, p) -> b.web(w -> w.ip(p.nonEmpty(v))));
        keys.applied("ws", "tls_cert", "unset (plain HTTP)", Level.FREQUENT,
                "Comet only: PEM certificate chain (server certificate first) of the browser port: with `tls_key` it serves "
                        + "HTTPS and WSS (TLS 1.3/1.2 only, long-poll and `POST /cometql` too); re-read when the file changes "
                        + "(checked every 10 s) or on `SIGHUP`.",
                (b, v, p) -> b.wsTls.cert(Path.of(p.nonEmpty(v))));
        keys.applied("ws", "tls_key", "unset", Level.FREQUENT,
                "Comet only: PEM private key (unencrypted PKCS#8, `BEGIN PRIVATE KEY`) of `tls_cert`.",
                (b, v, p) -> b.wsTls.key(Path.of(p.nonEmpty(v))));
        keys.applied("ws", "plain_port", "unset (none)", Level.RARE,
                "Comet only: with `tls_cert`, a plain HTTP/WebSocket listener on this port beside the TLS one (same address).",
                (b, v, p) -> b.web(w -> w.plainPort(p.integer(v, 0, 65_535))));
        keys.applied("ws", "host", "* (no check)", Level.FREQUENT,
                "Comma-separated allowed `Origin` hosts (exact host, optional port); `*` = no check.",
                (b, v, p) -> b.web(w -> w.hosts(Arrays.asList(v.text().split(",")))));
        keys.applied("ws", "thread_num", "0 (one per core)", Level.FREQUENT, "Event-loop threads of the browser listener.",
                (b, v, p) -> b.webThreads(p.integer(v, 0, 1024)));
        keys.applied("ws", "maxUptime", "0 (never)", Level.RARE,
                "Close connections older than this many seconds, abruptly so clients reconnect.",
                (b, v, p) -> b.web(w -> w.maxUptimeSeconds(p.integer(v, 0, Integer.MAX_VALUE))));
        keys.applied("ws", "uptimeTestInterval", "600", Level.RARE, "Seconds between `maxUptime` checks.",
                (b, v, p) -> b.web(w -> w.uptimeCheckInterval(Duration.ofSeconds(p.integer(v, 1, Integer.MAX_VALUE)))));
        keys.applied("ws", "statistics", "0 (off)", Level.RARE,
                "Seconds between load measurements (connections, messages); logged when `[statistics] to_log` is true.",
                (b, v, p) -> b.statisticsInterval(p.integer(v, 0, 86_400)));
        keys.applied("ws", "benchmark", "0 (off)", Level.RARE, "Legacy alias of `[ws] statistics`.",
                (b, v, p) -> b.statisticsInterval(p.integer(v, 0, 86_400)));
        keys.applied("ws", "backlog", "65535", Level.RARE, "Listen backlog of the browser listener (Linux caps it at net.core.somaxconn).",
                (b, v, p) -> b.web(w -> w.backlog(p.integer(v, 1, 1 << 20))));
        keys.applied("ws", "max_connections", "0 (no limit)", Level.RARE,
                "Comet only: open connections of the browser listener beyond which new ones get `503` and are closed (counted).",
                (b, v, p) -> b.web(w -> w.limits(l -> l.maxConnections(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("ws", "max_connections_per_ip", "10000", Level.RARE,
                "Comet only: the same per client IP address (0 = no limit); keep it below the open-file limit.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.maxConnectionsPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("ws", "request_timeout", "10", Level.RARE,
                "Comet only: seconds a whole HTTP request (head and body, also trickled) may take; then the connection is closed.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.requestTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        keys.applied("ws", "frame_timeout", "30", Level.RARE,
                "Comet only: seconds an incomplete WebSocket frame or fragmented message may take; then the connection is closed.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.frameTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        keys.applied("ws", "slow_consumer_timeout", "10", Level.RARE,
                "Comet only: seconds a WebSocket whose socket takes none of its pending bytes stays open (a tenth of it when "
                        + "the delivery budget is exhausted); see comet-transport-netty README, \"Slow consumers\".",
                (b, v, p) -> b.web(w -> w.slowConsumerTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        keys.ignored("ws", "epoll_size", "10000", "epoll tuning of the original (Netty sizes its own).");
        keys.ignored("ws", "cluster", "empty", "Node-to-node forwarding of the original. Comet has no node mesh: several nodes share a Redis (`[redis] uri`).");
    }
}
