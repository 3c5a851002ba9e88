package io.comet.cometql.table;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.sql.Statement;
import io.comet.cometql.sql.Statement.SelectItem;
import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.Stats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SHOW statements, {@code SELECT @@var / function()} and the server variables that MySQL
 * drivers read at connect (cometql.md §1.11, §3.10).
 */
final class SystemStatements {

    static final String DATABASE = "CometQL_v1";
    /** SHOW TABLES order: the seven classic tables, then the two later ones. */
    static final List<String> TABLE_ORDER = List.of("users_auth", "users_time", "users_messages", "pipes_messages",
            "users_in_pipes", "pipes", "pipes_settings", "users_data", "revoked_tokens");

    private final CometEngine engine;
    private final CometQlConfig config;
    private final Map<String, VirtualTable> tables;
    private final Map<String, String> variables = new LinkedHashMap<>();

    /** Rows appended to {@code SHOW GLOBAL STATUS} (listener counters). */
    volatile java.util.function.Supplier<List<List<String>>> extraStatus = List::of;

    SystemStatements(CometEngine engine, CometQlConfig config, Map<String, VirtualTable> tables) {
        this.engine = engine;
        this.config = config;
        this.tables = tables;
        String[][] vars = {
            {"auto_increment_increment", "1"}, {"auto_increment_offset", "1"}, {"autocommit", "1"},
            {"character_set_client", "utf8mb4"}, {"character_set_connection", "utf8mb4"},
            {"character_set_database", "utf8mb4"}, {"character_set_results", "utf8mb4"},
            {"character_set_server", "utf8mb4"}, {"character_set_system", "utf8"},
            {"collation_connection", "utf8mb4_general_ci"}, {"collation_database", "utf8mb4_general_ci"},
            {"collation_server", "utf8mb4_general_ci"}, {"have_ssl", "DISABLED"}, {"init_connect", ""},
            {"interactive_timeout", "28800"}, {"license", "AGPL"}, {"lower_case_table_names", "0"},
            {"max_allowed_packet", "16777216"}, {"net_buffer_length", "16384"}, {"net_write_timeout", "60"},
            {"performance_schema", "0"}, {"query_cache_size", "0"}, {"query_cache_type", "OFF"},
            {"sql_mode", ""}, {"system_time_zone", "UTC"}, {"time_zone", "SYSTEM"},
            {"transaction_isolation", "REPEATABLE-READ"}, {"tx_isolation", "REPEATABLE-READ"},
            {"transaction_read_only", "0"}, {"tx_read_only", "0"}, {"wait_timeout", "28800"},
            {"version", config.serverVersion()}, {"version_comment", engine.config().serverName()},
            {"version_compile_os", "Linux"}, {"version_compile_machine", "x86_64"},
        };
        for (String[] kv : vars) {
            variables.put(kv[0], kv[1]);
        }
    }

    QueryResult selectExpressions(QlSession s, Statement.SelectExpressions st) {
        List<String> labels = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (SelectItem item : st.items()) {
            labels.add(item.label());
            values.add(value(s, item));
        }
        List<List<String>> rows = CometQlExecutor.limit(List.of(values), st.limit());
        return new QueryResult.Rows("", labels, rows);
    }

    private String value(QlSession s, SelectItem item) {
        switch (item.kind()) {
            case SYSVAR:
                return variables.getOrDefault(item.name(), "");
            case USERVAR:
                return "";
            case LITERAL:
                return item.name();
            default:
                break;
        }
        switch (item.name()) {
            case "DATABASE":
            case "SCHEMA":
                return s.database() == null ? "" : s.database();
            case "USER":
            case "CURRENT_USER":
            case "SESSION_USER":
            case "SYSTEM_USER":
                return s.user() + "@" + s.host();
            case "CONNECTION_ID":
                return Long.toString(s.connectionId());
            case "VERSION":
                return config.serverVersion();
            case "LAST_INSERT_ID":
            case "ROW_COUNT":
            case "FOUND_ROWS":
                return "0";
            case "NOW":
            case "CURRENT_TIMESTAMP":
            case "SYSDATE":
                return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .format(Instant.ofEpochSecond(engine.nowSeconds()).atOffset(ZoneOffset.UTC));
            case "UNIX_TIMESTAMP":
                return Long.toString(engine.nowSeconds());
            default:
                throw new CometException(ErrorCode.SYNTAX_ERROR, "Syntax error in query");
        }
    }

    QueryResult show(QlSession s, Statement.Show st) {
        switch (st.kind()) {
            case DATABASES:
                return rows("Database", List.of(List.of(DATABASE)));
            case TABLES: {
                List<List<String>> rows = new ArrayList<>();
                for (String t : TABLE_ORDER) {
                    rows.add(List.of(t));
                }
                return rows("Tables", rows);
            }
            case COLUMNS:
                return columns(st.table());
            case STATUS:
                return status(s, st.flag(), st.like());
            case VARIABLES: {
                List<List<String>> rows = new ArrayList<>();
                Pattern p = st.like() == null ? null : likePattern(st.like());
                for (Map.Entry<String, String> e : variables.entrySet()) {
                    if (p == null || p.matcher(e.getKey()).matches()) {
                        rows.add(List.of(e.getKey(), e.getValue()));
                    }
                }
                return new QueryResult.Rows("", List.of("Variable_name", "Value"), rows);
            }
            case TABLE_STATUS: {
                List<String> cols = List.of("Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length",
                        "Data_length", "Max_data_length", "Index_length", "Data_free", "Auto_increment", "Create_time",
                        "Update_time", "Check_time", "Collation", "Checksum", "Create_options", "Comment");
                List<List<String>> rows = new ArrayList<>();
                for (String t : TABLE_ORDER) {
                    List<String> r = new ArrayList<>();
                    r.add(t);
                    r.add("CometQL");
                    for (int i = 2; i < cols.size(); i++) {
                        r.add(i == 14 ? "utf8mb4_general_ci" : "");
                    }
                    rows.add(r);
                }
                return new QueryResult.Rows("", cols, rows);
            }
            case PROCESSLIST:
                return new QueryResult.Rows("", List.of("Id", "User", "Host", "db", "Command", "Time", "State", "Info"),
                        List.of(List.of(Long.toString(s.connectionId()), s.user(), s.host(),
                                s.database() == null ? "" : s.database(), "Query", "0", "", "SHOW PROCESSLIST")));
            case COLLATION: {
                List<List<String>> rows = List.of(
                        List.of("utf8mb4_general_ci", "utf8mb4", "45", "Yes", "Yes", "1"),
                        List.of("utf8_general_ci", "utf8", "33", "Yes", "Yes", "1"));
                return new QueryResult.Rows("", List.of("Collation", "Charset", "Id", "Default", "Compiled", "Sortlen"),
                        filter(rows, st.like()));
            }
            case CHARSET: {
                List<List<String>> rows = List.of(
                        List.of("utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", "4"),
                        List.of("utf8", "UTF-8 Unicode", "utf8_general_ci", "3"));
                return new QueryResult.Rows("", List.of("Charset", "Description", "Default collation", "Maxlen"),
                        filter(rows, st.like()));
            }
            case WARNINGS:
                return new QueryResult.Rows("", List.of("Level", "Code", "Message"), List.of());
            default:
                throw new CometException(ErrorCode.SYNTAX_ERROR, "Syntax error in query");
        }
    }

    private static List<List<String>> filter(List<List<String>> rows, String like) {
        if (like == null) {
            return rows;
        }
        Pattern p = likePattern(like);
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : rows) {
            if (p.matcher(r.get(0)).matches()) {
                out.add(r);
            }
        }
        return out;
    }

    private static QueryResult rows(String column, List<List<String>> rows) {
        return new QueryResult.Rows("", List.of(column), rows);
    }

    private QueryResult columns(String table) {
        VirtualTable t = tables.get(table);
        if (t == null) {
            throw new CometException(ErrorCode.NOT_EXIST, "Table doesn't exist");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String c : t.columns()) {
            rows.add(List.of(c, t.typeOf(c), "NO", c.equals(t.key()) ? "PRI" : "", "", ""));
        }
        return new QueryResult.Rows(table, List.of("Field", "Type", "Null", "Key", "Default", "Extra"), rows);
    }

    private QueryResult status(QlSession s, String flag, String like) {
        Stats st = engine.stats();
        List<List<String>> rows = new ArrayList<>();
        if ("GLOBAL".equals(flag)) {
            long uptime = Math.max(0, (System.currentTimeMillis() - st.startMillis()) / 1000);
            rows.add(List.of("flag", "global"));
            rows.add(List.of("uptime", Long.toString(uptime)));
            rows.add(List.of("uptime_in_hours", Long.toString(uptime / 3600)));
            rows.add(List.of("uptime_in_days", Long.toString(uptime / 86400)));
            rows.add(List.of("frontend_name", "ws"));
            rows.add(List.of("frontend_online", Integer.toString(st.online())));
            rows.add(List.of("frontend_messages", Long.toString(st.messages())));
            rows.add(List.of("frontend_add_client", Long.toString(st.connects())));
            rows.add(List.of("frontend_delete_client", Long.toString(st.disconnects())));
            rows.add(List.of("backend_name", "cometql"));
            rows.add(List.of("backend_online", Integer.toString(st.backendOnline())));
            rows.add(List.of("backend_add_client", Long.toString(st.backendConnects())));
            rows.add(List.of("backend_delete_client", Long.toString(st.backendDisconnects())));
            rows.add(List.of("deliveries", Long.toString(st.deliveries())));
            rows.addAll(extraStatus.get());
        } else if (flag == null || "SESSION".equals(flag)) {
            rows.add(List.of("flag", "session"));
            rows.add(List.of("id", Integer.toString(s.devId())));
            rows.add(List.of("user_online", Integer.toString(st.online(s.devId()))));
            rows.add(List.of("server_online", Integer.toString(st.backendOnline())));
            rows.add(List.of("messages", Long.toString(st.messages())));
        } else {
            // FILESYSTEM / RAM / AVG / UPTIME: host metrics are optional and never shell out
            rows.add(List.of("flag", flag.toLowerCase(Locale.ROOT)));
        }
        return new QueryResult.Rows("", List.of("Variable_name", "Value"), filter(rows, like));
    }

    /** SQL LIKE ({@code %}, {@code _}, backslash escape) as a case-insensitive regex. */
    static Pattern likePattern(String like) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
