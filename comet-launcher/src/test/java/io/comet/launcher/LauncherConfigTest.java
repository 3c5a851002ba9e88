package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.transport.WebConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherConfigTest {

    private static LauncherConfig read(String text) {
        return LauncherConfig.fromIni(IniFile.parse("comet.ini", text), Map.of());
    }

    @Test
    void noFileMeansTheDefaults() {
        LauncherConfig d = LauncherConfig.defaults();
        assertThat(d.web().port()).isEqualTo(8087);
        assertThat(d.web().ip()).isEqualTo("0.0.0.0");
        assertThat(d.cometqlPort()).isEqualTo(3300);
        assertThat(d.engine().password()).as("generated at start").isNull();
        assertThat(d.store().jdbcUrl()).startsWith("jdbc:h2:file:./data/comet;");
        assertThat(d.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.jvmMemoryTuning()).isTrue();
        assertThat(d.heapFreeMinPercent()).isEqualTo(10);
        assertThat(d.heapFreeMaxPercent()).isEqualTo(20);
        assertThat(d.idleGcSeconds()).isEqualTo(60);
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void readsTheWholeCometIni() {
        LauncherConfig c = read("""
                ; comet.ini
                [main]
                password = s3cret   ; trailing comment
                node_name = n1
                base_dir = /var/www
                dev_index_size = 10
                send_user_online_events = false
                send_user_offline_events = False
                save_users_last_online_time = FALSE
                useQueryLoger = true
                pidfile = /tmp/comet-test.pid
                data_dir = /var/lib/comet
                shutdown_timeout = 7
                jvm_memory_tuning = false
                heap_free_min_percent = 5
                heap_free_max_percent = 15
                idle_gc_seconds = 0
                # whole-line comment
                [db]
                host = db.example
                port = 3307
                name = comet
                user = cometuser
                password = dbpw
                connection_attempts = 2
                operation_timeout = 3
                query_timeout = 2
                [ws]
                ip = 127.0.0.1
                port = 0
                host = site.example, other.example:8443
                maxUptime = 3600
                uptimeTestInterval = 60
                thread_num = 3
                statistics = 30
                backlog = 64
                [cometql]
                ip = 127.0.0.2
                port = 3307
                thread_num = 4
                backlog = 32
                maxUptime = 120
                uptimeTestInterval = 30
                [content-type]
                woff2 = font/woff2
                [statistics]
                to_log = true
                [log]
                level = 300
                dbLink = 500
                MySqlServer = debug
                io.comet.transport.ws = TRACE
                """);
        assertThat(c.engine().password()).isEqualTo("s3cret");
        assertThat(c.engine().devIndexSize()).isEqualTo(10);
        assertThat(c.engine().sendUserOnlineEvents()).isFalse();
        assertThat(c.engine().sendUserOfflineEvents()).isFalse();
        assertThat(c.engine().saveUsersLastOnlineTime()).isFalse();
        assertThat(c.pidFile()).isEqualTo(Path.of("/tmp/comet-test.pid"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/comet"));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.jvmMemoryTuning()).isFalse();
        assertThat(c.heapFreeMinPercent()).isEqualTo(5);
        assertThat(c.heapFreeMaxPercent()).isEqualTo(15);
        assertThat(c.idleGcSeconds()).isZero();
        assertThat(c.store().jdbcUrl()).startsWith("jdbc:mysql://db.example:3307/comet?");
        assertThat(c.store().user()).isEqualTo("cometuser");
        assertThat(c.store().password()).isEqualTo("dbpw");
        assertThat(c.store().connectionAttempts()).isEqualTo(2);
        assertThat(c.store().operationTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.store().queryTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.web().ip()).isEqualTo("127.0.0.1");
        assertThat(c.web().port()).isZero();
        assertThat(c.web().hosts()).containsExactly("site.example", "other.example:8443");
        assertThat(c.web().maxUptimeSeconds()).isEqualTo(3600);
        assertThat(c.web().uptimeCheckInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.webThreads()).isEqualTo(3);
        assertThat(c.web().nodeName()).isEqualTo("n1");
        assertThat(c.web().baseDir()).isEqualTo(Path.of("/var/www"));
        assertThat(c.web().contentTypes()).containsEntry("woff2", "font/woff2").containsEntry("js", "application/javascript");
        assertThat(c.cometqlIp()).isEqualTo("127.0.0.2");
        assertThat(c.cometqlPort()).isEqualTo(3307);
        assertThat(c.cometql().ioThreads()).isEqualTo(4);
        assertThat(c.web().backlog()).isEqualTo(64);
        assertThat(c.cometql().backlog()).isEqualTo(32);
        assertThat(c.cometql().maxUptimeSeconds()).isEqualTo(120);
        assertThat(c.cometql().uptimeCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.statisticsIntervalSeconds()).isEqualTo(30);
        assertThat(c.statisticsToLog()).isTrue();
        assertThat(c.logLevels()).containsEntry("io.comet", "WARN").containsEntry("io.comet.core.store", "DEBUG")
                .containsEntry("io.comet.cometql", "DEBUG").containsEntry("io.comet.transport.ws", "TRACE")
                .containsEntry("io.comet.cometql.table.CometQlExecutor", "DEBUG");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void redisSectionMakesTheNodeOneOfADeploymentAndWithoutItNothingChanges() {
        assertThat(LauncherConfig.defaults().redis()).isEmpty();
        assertThat(read("[main]\nnode_name = n1\n").redis()).isEmpty();
        LauncherConfig c = read("[main]\nnode_name = n1\n[redis]\nuri = redis://:pw@127.0.0.1:6390/2\nprefix = app1\n"
                + "command_timeout = 3\nnode_timeout = 20\n");
        assertThat(c.redis()).hasValueSatisfying(r -> {
            assertThat(r.uri()).isEqualTo("redis://:pw@127.0.0.1:6390/2");
            assertThat(r.nodeName()).isEqualTo("n1");
            assertThat(r.prefix()).isEqualTo("app1");
            assertThat(r.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(r.nodeTimeout()).isEqualTo(Duration.ofSeconds(20));
        });
        assertThat(c.toBuilder().build().redis()).as("kept by toBuilder").isEqualTo(c.redis());
        assertThatThrownBy(() -> read("[redis]\nuri = http://x\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("comet.ini:2: uri");
        assertThatThrownBy(() -> read("[redis]\nprefix = x\n")).hasMessageContaining("uri is required");
    }

    @Test
    void metricsAccessAndDrainDelay() {
        assertThat(LauncherConfig.defaults().metrics()).isEqualTo(io.comet.server.MetricsAccess.PASSWORD);
        assertThat(read("[main]\nmetrics = open\n").metrics()).isEqualTo(io.comet.server.MetricsAccess.OPEN);
        assertThat(read("[main]\nmetrics = off\n").metrics()).isEqualTo(io.comet.server.MetricsAccess.OFF);
        assertThatThrownBy(() -> read("[main]\nmetrics = public\n")).isInstanceOf(ConfigException.class)
                .hasMessage("comet.ini:2: metrics: 'public' is not one of password, open, off");
        assertThat(read("[main]\ndrain_delay = 5\n").drainDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> read("[main]\nshutdown_timeout = 5\ndrain_delay = 5\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("drain_delay: 5 s (expected: below shutdown_timeout 5 s)");
    }

    @Test
    void tlsKeysGoTogetherAndAddThePlainPort() {
        LauncherConfig c = read("[ws]\nport = 8443\ntls_cert = /etc/comet/web.crt\ntls_key = /etc/comet/web.key\nplain_port = 8087\n");
        assertThat(c.web().tls().certChain()).isEqualTo(Path.of("/etc/comet/web.crt"));
        assertThat(c.web().tls().privateKey()).isEqualTo(Path.of("/etc/comet/web.key"));
        assertThat(c.web().tls().reloadInterval()).isEqualTo(io.comet.tls.TlsFiles.DEFAULT_RELOAD_INTERVAL);
        assertThat(c.web().port()).isEqualTo(8443);
        assertThat(c.web().plainPort()).isEqualTo(8087);
        assertThat(LauncherConfig.defaults().web().tls()).as("plain HTTP unless configured").isNull();
        assertThat(read("[ws]\nplain_port = 8087\n").web().plainPort()).as("no plain port without TLS").isEqualTo(-1);
        assertThatThrownBy(() -> read("[ws]\ntls_cert = /etc/comet/web.crt\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[ws] tls_cert and tls_key go together (tls_key is missing)");
        LauncherConfig q = read("[cometql]\ntls_cert = /etc/comet/ql.crt\ntls_key = /etc/comet/ql.key\nrequire_tls = true\n");
        assertThat(q.cometql().tls().certChain()).isEqualTo(Path.of("/etc/comet/ql.crt"));
        assertThat(q.cometql().tls().privateKey()).isEqualTo(Path.of("/etc/comet/ql.key"));
        assertThat(q.cometql().requireTls()).isTrue();
        assertThat(q.web().tls()).isNull();
        assertThatThrownBy(() -> read("[cometql]\nrequire_tls = true\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("requireTls: true needs a TLS certificate");
        assertThatThrownBy(() -> read("[cometql]\ntls_key = /k\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[cometql] tls_cert and tls_key go together (tls_cert is missing)");
    }

    @Test
    void everyRegisteredKeyIsAcceptedIgnoredOnesWarnOnceUnknownOnesWarn() {
        StringBuilder ini = new StringBuilder();
        String section = null;
        int ignored = 0;
        for (IniKeys.Key k : IniKeys.all()) {
            if (!k.section().equals(section)) {
                section = k.section();
                ini.append('[').append(section).append("]\n");
            }
            String key = k.key().equals("*") ? (section.equals("log") ? "Any" : "ext") : k.key();
            ini.append(key).append(" = ").append(sample(k.section(), key)).append('\n');
            if (k.kind() == IniKeys.Kind.IGNORED) {
                ignored++;
            }
        }
        ini.append("[main]\nno_such_key = 1\n[nowhere]\nx = 1\n[log]\nCometQLCluster = 500\n");
        LauncherConfig c = read(ini.toString());
        assertThat(c.warnings()).filteredOn(w -> w.contains("has no meaning in Comet")).hasSize(ignored);
        assertThat(c.warnings()).filteredOn(w -> w.contains("is unknown, ignored")).hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("[main] no_such_key"))
                .anySatisfy(w -> assertThat(w).contains("[nowhere] x"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("[log] CometQLCluster has no counterpart in Comet"));
        assertThat(c.warnings()).allSatisfy(w -> assertThat(w).matches("comet\\.ini:\\d+: \\[.*"));
        assertThat(c.warnings()).filteredOn(w -> w.contains("[statistics] allow")).singleElement().asString()
                .contains("never implemented");
    }

    private static String sample(String section, String key) {
        return switch (section + "." + key) {
            case "main.password", "db.password", "main.node_name" -> "x";
            case "main.data_dir", "main.base_dir", "main.pidfile" -> "/tmp/x";
            case "db.host", "db.name", "db.user", "ws.ip", "cometql.ip", "ws.host", "content-type.ext" -> "127.0.0.1";
            case "main.useQueryLoger", "main.send_user_online_events", "main.send_user_offline_events",
                 "main.save_users_last_online_time", "main.jvm_memory_tuning", "statistics.to_log",
                 "benchmark.to_log", "cometql.require_tls" -> "true";
            case "log.level", "log.Any" -> "400";
            case "db.url" -> "jdbc:h2:mem:x";
            case "redis.uri" -> "redis://127.0.0.1:6379";
            case "redis.prefix" -> "x";
            case "redis.node_timeout" -> "10";
            case "ws.plain_port" -> "8080";
            case "main.drain_delay" -> "0";
            case "main.metrics" -> "open";
            default -> "1";
        };
    }

    @Test
    void environmentPasswordsWinOverTheFile() {
        IniFile ini = IniFile.parse("comet.ini", "[main]\npassword = file-pw\n[db]\nhost = h\nname = n\nuser = u\npassword = file-db\n");
        LauncherConfig c = LauncherConfig.fromIni(ini, Map.of("COMET_PASSWORD", "env-pw", "COMET_DB_PASSWORD", "env-db"));
        assertThat(c.engine().password()).isEqualTo("env-pw");
        assertThat(c.store().password()).isEqualTo("env-db");
        assertThat(LauncherConfig.fromIni(ini, Map.of()).engine().password()).isEqualTo("file-pw");
        assertThat(LauncherConfig.fromIni(IniFile.parse("e.ini", ""), Map.of("COMET_PASSWORD", "only-env")).engine().password())
                .isEqualTo("only-env");
    }

    @Test
    void dataDirMovesTheEmbeddedStore() {
        assertThat(read("[main]\ndata_dir = /srv/comet\n").store().jdbcUrl()).startsWith("jdbc:h2:file:/srv/comet/comet;");
    }

    @Test
    void hostStarMeansNoCheck() {
        LauncherConfig c = read("[ws]\nhost = *\n");
        assertThat(c.web().hosts()).isEmpty();
        assertThat(WebConfig.DEFAULT.hosts()).isEmpty();
    }

    @Test
    void listValuesAndOverwrites() {
        IniFile ini = IniFile.parse("x.ini", "[ws]\ncluster = []a\ncluster = []b\nport = 1\nport = 2\n");
        assertThat(ini.values("ws", "cluster")).extracting(IniFile.Value::text).isEqualTo(List.of("a", "b"));
        assertThat(ini.value("ws", "port").orElseThrow().text()).isEqualTo("2");
    }

    @Test
    void badValuesFailWithFileLineKeyAndReason() {
        assertThatThrownBy(() -> read("[ws]\n\nport = eighty\n"))
                .isInstanceOf(ConfigException.class).hasMessage("comet.ini:3: port: 'eighty' is not a number");
        assertThatThrownBy(() -> read("[ws]\nport = 70000\n"))
                .hasMessage("comet.ini:2: port: '70000' out of range (expected: 0..65535)");
        assertThatThrownBy(() -> read("[main]\nsend_user_online_events = yes\n"))
                .hasMessage("comet.ini:2: send_user_online_events: 'yes' is not a boolean (expected: true or false)");
        assertThatThrownBy(() -> read("[log]\nlevel = loud\n"))
                .hasMessageStartingWith("comet.ini:2: level: 'loud' is not a log level");
        assertThatThrownBy(() -> read("[main]\nshutdown_timeout = 0\n"))
                .hasMessage("comet.ini:2: shutdown_timeout: '0' out of range (expected: 1..3600)");
        assertThatThrownBy(() -> read("[db]\nhost = db.example\nuser = u\n"))
                .hasMessage("comet.ini:2: host: [db] name is required with [db] host");
        assertThatThrownBy(() -> read("[ws]\nip =\n")).hasMessage("comet.ini:2: ip: must not be empty");
        assertThatThrownBy(() -> read("[db]\nurl = jdbc:postgresql://x/y\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("comet.ini:2: url: ");
        assertThatThrownBy(() -> read("[main]\nheap_free_max_percent = 101\n"))
                .hasMessage("comet.ini:2: heap_free_max_percent: '101' out of range (expected: 0..100)");
        assertThatThrownBy(() -> read("[main]\nheap_free_min_percent = -1\n"))
                .hasMessage("comet.ini:2: heap_free_min_percent: '-1' out of range (expected: 0..100)");
        assertThatThrownBy(() -> read("[main]\nheap_free_min_percent = 40\nheap_free_max_percent = 20\n"))
                .hasMessage("comet.ini:3: heap_free_max_percent: '20' is below [main] heap_free_min_percent (expected: >= 40)");
        assertThatThrownBy(() -> read("[main]\nheap_free_min_percent = 50\n"))
                .hasMessage("comet.ini:2: heap_free_min_percent: '50' is above [main] heap_free_max_percent (expected: <= 20)");
        assertThatThrownBy(() -> read("[main]\njvm_memory_tuning = off\n"))
                .hasMessage("comet.ini:2: jvm_memory_tuning: 'off' is not a boolean (expected: true or false)");
        assertThatThrownBy(() -> read("[main]\nidle_gc_seconds = -1\n"))
                .hasMessage("comet.ini:2: idle_gc_seconds: '-1' out of range (expected: 0..86400)");
        assertThatThrownBy(() -> IniFile.parse("comet.ini", "[main]\njust words\n"))
                .hasMessage("comet.ini:2: expected 'key = value', got 'just words'");
    }

    @Test
    void builderForEmbedding(@TempDir Path dir) {
        LauncherConfig c = LauncherConfig.builder()
                .password("pw")
                .web(w -> w.ip("127.0.0.1").port(0))
                .cometql(q -> q.port(0))
                .dataDir(dir)
                .store(s -> s.operationTimeout(Duration.ofSeconds(2)))
                .shutdownTimeout(Duration.ofSeconds(3))
                .logLevel("io.comet", "WARN")
                .build();
        assertThat(c.engine().password()).isEqualTo("pw");
        assertThat(c.web().port()).isZero();
        assertThat(c.store().jdbcUrl()).contains(dir.toString().replace('\\', '/') + "/comet;");
        assertThat(c.store().operationTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(c.withStore(null).store()).isNull();
        assertThatThrownBy(() -> LauncherConfig.builder().shutdownTimeout(Duration.ZERO).build())
                .hasMessage("shutdownTimeout: PT0S (expected: > 0)");
        LauncherConfig tuned = LauncherConfig.builder().heapFreeMinPercent(20).heapFreeMaxPercent(40).idleGcSeconds(30).build();
        assertThat(tuned.toBuilder().build().toString()).isEqualTo(tuned.toString()).contains("heapFree 20-40%, idleGc 30s");
        assertThat(LauncherConfig.builder().jvmMemoryTuning(false).build().toString()).contains("jvmMemoryTuning=off");
        assertThatThrownBy(() -> LauncherConfig.builder().heapFreeMinPercent(50).build())
                .hasMessage("heapFreeMaxPercent: 20 (expected: 50..100, at least heapFreeMinPercent)");
        assertThatThrownBy(() -> LauncherConfig.builder().heapFreeMinPercent(-1).build())
                .hasMessage("heapFreeMinPercent: -1 (expected: 0..100)");
        assertThatThrownBy(() -> LauncherConfig.builder().idleGcSeconds(-1).build())
                .hasMessage("idleGcSeconds: -1 (expected: >= 0)");
    }
}
