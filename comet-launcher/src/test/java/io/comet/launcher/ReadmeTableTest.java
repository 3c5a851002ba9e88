package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.CometQlConfig;
import io.comet.core.CometConfig;
import io.comet.transport.WebConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's comet.ini table is exactly what {@link IniKeys} says, and its defaults are the code's. */
class ReadmeTableTest {

    private static final String BEGIN = "<!-- comet.ini table: generated from IniKeys.readmeTable(), checked by ReadmeTableTest -->\n";
    private static final String END = "<!-- end of comet.ini table -->";

    @Test
    void readmeTableIsTheRegistry() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertThat(from).as("table start marker").isNotNegative();
        assertThat(to).as("table end marker").isGreaterThan(from);
        String table = readme.substring(from + BEGIN.length(), to);
        for (IniKeys.Key k : IniKeys.all()) {
            assertThat(table).as("row of " + k.label()).contains("| `" + k.label() + "` | " + k.defaultValue() + " |");
        }
        assertThat(table).isEqualTo(IniKeys.readmeTable());
    }

    @Test
    void everyKeyOfTheSpecIsInTheRegistry() {
        String[][] spec = {
            {"main", "password"}, {"main", "node_name"}, {"main", "useQueryLoger"}, {"main", "send_user_online_events"},
            {"main", "send_user_offline_events"}, {"main", "save_users_last_online_time"}, {"main", "buf_size"},
            {"main", "answer_buf_size"}, {"main", "fragment_buf_size"}, {"main", "fragment_buf_max_size"},
            {"main", "dev_index_size"}, {"main", "base_dir"}, {"main", "pidfile"}, {"main", "api_version"},
            {"main", "isTest"}, {"db", "host"}, {"db", "user"}, {"db", "password"}, {"db", "name"}, {"db", "port"},
            {"db", "connection_attempts"}, {"db", "buf_size"}, {"ws", "ip"}, {"ws", "port"}, {"ws", "thread_num"},
            {"ws", "statistics"}, {"ws", "benchmark"}, {"ws", "uptimeTestInterval"}, {"ws", "maxUptime"},
            {"ws", "backlog"}, {"ws", "epoll_size"}, {"ws", "host"}, {"ws", "cluster"}, {"cometql", "ip"},
            {"cometql", "port"}, {"cometql", "thread_num"}, {"cometql", "statistics"}, {"cometql", "uptimeTestInterval"},
            {"cometql", "maxUptime"}, {"cometql", "backlog"}, {"cometql", "epoll_size"}, {"cometqlproxy", "ip"},
            {"cometqlproxy", "port"}, {"cometqlproxy", "thread_num"}, {"cometqlproxy", "cluster"},
            {"statistics", "allow"}, {"statistics", "to_log"}, {"statistics", "interval"}, {"statistics", "host"},
            {"statistics", "email"}, {"statistics", "profiler"}, {"benchmark", "to_log"}, {"content-type", "js"},
            {"log", "level"}, {"log", "Any"}, {"log", "dbLink"}, {"log", "FreeswitchServer"}, {"sip", "anything"},
            {"freeswitch", "anything"},
        };
        for (String[] k : spec) {
            assertThat(IniKeys.find(k[0], k[1])).as("[" + k[0] + "] " + k[1]).isPresent();
        }
        for (String name : new String[] {"Any", "TagLoger", "appConf", "pipeCommands", "statistics", "removeOldConnections",
            "MySqlServer", "UserIndex", "UserItem", "ClientServer", "ServerServer", "SimpleRedisClient", "tcpServer",
            "CometQLCluster", "devManager", "FreeswitchServer", "dbLink"}) {
            assertThat(IniKeys.LOG_SUBSYSTEMS.containsKey(name) || IniKeys.LOG_SUBSYSTEMS_WITHOUT_COUNTERPART.contains(name))
                    .as("[log] " + name).isTrue();
        }
    }

    @Test
    void documentedDefaultsAreTheCodesDefaults() {
        LauncherConfig d = LauncherConfig.defaults();
        assertThat(def("ws", "port")).isEqualTo(Integer.toString(WebConfig.DEFAULT_PORT)).isEqualTo(Integer.toString(d.web().port()));
        assertThat(def("ws", "ip")).isEqualTo(d.web().ip());
        assertThat(def("cometql", "port")).isEqualTo(Integer.toString(CometQlConfig.DEFAULT_PORT)).isEqualTo(Integer.toString(d.cometqlPort()));
        assertThat(def("cometql", "ip")).isEqualTo(d.cometqlIp());
        assertThat(def("main", "node_name")).isEqualTo(d.web().nodeName());
        assertThat(def("main", "dev_index_size")).isEqualTo(Integer.toString(CometConfig.DEFAULT_DEV_INDEX_SIZE));
        assertThat(def("main", "shutdown_timeout")).isEqualTo(Long.toString(d.shutdownTimeout().toSeconds()));
        assertThat(def("main", "data_dir")).isEqualTo("./" + d.dataDir());
        assertThat(def("main", "send_user_online_events")).isEqualTo(Boolean.toString(d.engine().sendUserOnlineEvents()));
        assertThat(def("main", "send_user_offline_events")).isEqualTo(Boolean.toString(d.engine().sendUserOfflineEvents()));
        assertThat(def("main", "save_users_last_online_time")).isEqualTo(Boolean.toString(d.engine().saveUsersLastOnlineTime()));
        assertThat(def("ws", "uptimeTestInterval")).isEqualTo(Long.toString(d.web().uptimeCheckInterval().toSeconds()));
        assertThat(def("ws", "maxUptime")).startsWith(Long.toString(d.web().maxUptimeSeconds()));
        assertThat(def("db", "port")).isEqualTo(Integer.toString(LauncherConfig.DEFAULT_DB_PORT));
        assertThat(def("db", "connection_attempts")).isEqualTo(Integer.toString(LauncherConfig.DEFAULT_DB_CONNECTION_ATTEMPTS));
        assertThat(def("db", "operation_timeout")).isEqualTo(Long.toString(d.store().operationTimeout().toSeconds()));
        assertThat(def("db", "query_timeout")).isEqualTo(Long.toString(d.store().queryTimeout().toSeconds()));
        assertThat(def("log", "level")).isEqualTo("400");
        assertThat(def("ws", "backlog")).isEqualTo(Integer.toString(d.web().backlog()));
        assertThat(def("cometql", "uptimeTestInterval")).isEqualTo(Long.toString(d.cometql().uptimeCheckInterval().toSeconds()));
        assertThat(def("cometql", "maxUptime")).startsWith(Long.toString(d.cometql().maxUptimeSeconds()));
        assertThat(def("cometql", "backlog")).isEqualTo(Integer.toString(d.cometql().backlog()));
        assertThat(d.store().jdbcUrl()).startsWith("jdbc:h2:file:./data/comet");
        assertThat(def("main", "jvm_memory_tuning")).isEqualTo(Boolean.toString(d.jvmMemoryTuning()));
        assertThat(def("main", "heap_free_min_percent")).isEqualTo(Integer.toString(d.heapFreeMinPercent()));
        assertThat(def("main", "heap_free_max_percent")).isEqualTo(Integer.toString(d.heapFreeMaxPercent()));
        assertThat(def("main", "idle_gc_seconds")).isEqualTo(Integer.toString(d.idleGcSeconds()));
    }

    private static String def(String section, String key) {
        return IniKeys.find(section, key).orElseThrow().defaultValue();
    }
}
