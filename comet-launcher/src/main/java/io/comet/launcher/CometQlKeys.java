package io.comet.launcher;

import io.comet.launcher.IniKeys.Level;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code [cometql]} keys of comet.ini (the CometQL listener) and the ignored {@code [cometqlproxy]}, in README order. */
final class CometQlKeys {

    private CometQlKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("cometql", "port", "3300", Level.ESSENTIAL, "CometQL (MySQL protocol) port; 0 = any free port.",
                (b, v, p) -> b.cometql(q -> q.port(p.integer(v, 0, 65_535))));
        keys.applied("cometql", "ip", "127.0.0.1", Level.ESSENTIAL,
                "CometQL listener address. Comet binds loopback unless configured (the original: 0.0.0.0, which `ip = 0.0.0.0` "
                        + "still gives, with a warning while the port is plain text; see `[cometql] require_tls`).",
                (b, v, p) -> b.cometql(q -> q.ip(p.nonEmpty(v))));
        keys.applied("cometql", "tls_cert", "unset (plain only)", Level.FREQUENT,
                "Comet only: PEM certificate chain of the CometQL port: with `tls_key`, clients that ask for TLS (MySQL "
                        + "`SSLRequest`: `mysql --ssl`, JDBC `sslMode`, mysqli `MYSQLI_CLIENT_SSL`, mysql2 `ssl`) get TLS 1.3/1.2; "
                        + "re-read when the file changes (checked every 10 s) or on `SIGHUP`.",
                (b, v, p) -> b.cometqlTls.cert(Path.of(p.nonEmpty(v))));
        keys.applied("cometql", "tls_key", "unset", Level.FREQUENT,
                "Comet only: PEM private key (unencrypted PKCS#8) of `[cometql] tls_cert`.",
                (b, v, p) -> b.cometqlTls.key(Path.of(p.nonEmpty(v))));
        keys.applied("cometql", "require_tls", "false", Level.FREQUENT,
                "Comet only: refuse logins that did not upgrade to TLS (ERR 3159); needs `tls_cert`/`tls_key`.",
                (b, v, p) -> b.cometql(q -> q.requireTls(p.bool(v))));
        keys.applied("cometql", "thread_num", "0 (= 2)", Level.RARE, "Event-loop threads of the CometQL listener.",
                (b, v, p) -> b.cometql(q -> q.ioThreads(p.integer(v, 0, 1024))));
        keys.ignored("cometql", "statistics", "0", "Load measurements are taken for the whole server (`[ws] statistics`).");
        keys.applied("cometql", "maxUptime", "0 (never)", Level.RARE,
                "Close backend connections older than this many seconds, each right after the answer of its command in flight.",
                (b, v, p) -> b.cometql(q -> q.maxUptimeSeconds(p.integer(v, 0, Integer.MAX_VALUE))));
        keys.applied("cometql", "uptimeTestInterval", "600", Level.RARE, "Seconds between `[cometql] maxUptime` checks.",
                (b, v, p) -> b.cometql(q -> q.uptimeCheckInterval(Duration.ofSeconds(p.integer(v, 1, Integer.MAX_VALUE)))));
        keys.applied("cometql", "backlog", "1024", Level.RARE, "Listen backlog of the CometQL listener.",
                (b, v, p) -> b.cometql(q -> q.backlog(p.integer(v, 1, 1 << 20))));
        keys.applied("cometql", "max_connections", "10000", Level.RARE,
                "Comet only: open CometQL connections beyond which new ones get ERR 1040 and are closed (counted in `SHOW GLOBAL STATUS`).",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxConnections(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("cometql", "max_connections_per_ip", "1000", Level.RARE, "Comet only: the same per client IP address.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxConnectionsPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("cometql", "max_unauthenticated", "256", Level.RARE,
                "Comet only: CometQL connections not yet logged in, in all (0 = no limit).",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxUnauthenticated(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("cometql", "max_unauthenticated_per_ip", "32", Level.RARE,
                "Comet only: CometQL connections not yet logged in, per client IP address.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxUnauthenticatedPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        keys.applied("cometql", "handshake_timeout", "10", Level.RARE,
                "Comet only: seconds from connect to the end of the login; then the connection is closed.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.handshakeTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        keys.applied("cometql", "packet_timeout", "30", Level.RARE,
                "Comet only: seconds a started CometQL packet may take to arrive completely; then the connection is closed.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.packetTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        keys.applied("cometql", "logins_per_second", "10", Level.RARE,
                "Comet only: password checks per second per source address, MySQL port and `POST /cometql` together (after a "
                        + "burst of as many); a successful login does not count.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.loginsPerSecond(p.integer(v, 1, 100_000)))));
        keys.ignored("cometql", "epoll_size", "10000", "epoll tuning of the original.");

        keys.ignored("cometqlproxy", "*", "off",
                "The original's cluster proxy (`ip`, `port`, `thread_num`, `cluster`, …): not needed, a Comet node answers CometQL itself; several nodes share a Redis (`[redis] uri`).");
    }
}
