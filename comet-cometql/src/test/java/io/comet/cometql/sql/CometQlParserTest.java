package io.comet.cometql.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.cometql.sql.Statement.Condition;
import io.comet.core.CometException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SQL subset of cometql.md §2 and the decisions on its quirks (§10), pinned. */
class CometQlParserTest {

    private static Statement one(String q) {
        List<Statement> s = CometQlParser.parse(q);
        assertThat(s).hasSize(1);
        return s.get(0);
    }

    private static String insertedMessage(String literal) {
        Statement.Insert i = (Statement.Insert) one("INSERT INTO pipes_messages (name, event, message) VALUES ('p', 'e', "
                + literal + ")");
        return i.values().get(2).text();
    }

    /**
     * Quirk 4 (cometql.md §2.1, §10.4) decided the [proj] way: string literals are unescaped by
     * MySQL's rules, so the text is what the application meant. The original kept the escapes
     * ({@code 'it''s'} → {@code it\'s}).
     */
    @Test
    void quirk4_stringLiteralsAreUnescapedByMysqlRules() {
        assertThat(insertedMessage("'it''s'")).isEqualTo("it's");
        assertThat(insertedMessage("'it\\'s'")).isEqualTo("it's");
        assertThat(insertedMessage("\"say \"\"x\"\"\"")).isEqualTo("say \"x\"");
        assertThat(insertedMessage("'a\\\\b\\nc'")).isEqualTo("a\\b\nc");
        assertThat(insertedMessage("'\\0\\b\\r\\t\\Z\\\"'")).isEqualTo("\0\b\r\t\u001A\"");
        assertThat(insertedMessage("'50\\% \\_x'")).as("\\% and \\_ keep their backslash").isEqualTo("50\\% \\_x");
        assertThat(insertedMessage("'\\q\\y'")).as("any other escape drops the backslash").isEqualTo("qy");
        assertThat(insertedMessage("'{\"text\":\"hi\"}'")).isEqualTo("{\"text\":\"hi\"}");
        assertThat(insertedMessage("''")).isEmpty();
    }

    /** Quirk 5 decided the MySQL way: an unquoted minus is a sign, NULL is SQL NULL. */
    @Test
    void quirk5_minusIsASignAndNullIsNull() {
        Statement.Insert i = (Statement.Insert) one("INSERT INTO users_auth (id, hash) VALUES (-5, NULL)");
        assertThat(i.values().get(0).asLong()).isEqualTo(-5);
        assertThat(i.values().get(1).isNull()).isTrue();
        assertThat(new Value("12abc", true).asLong()).isEqualTo(12);
        assertThat(new Value("abc", true).asLong()).isZero();
        assertThat(new Value("-3", true).asLong()).isEqualTo(-3);
        assertThat(new Value("99999999999999999999999", true).asLong()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void keywordsAreCaseInsensitiveAndNamesKeepTheirCase() {
        Statement.Select s = (Statement.Select) one("SeLeCt * fRoM Pipes WhErE name = 'web_x'");
        assertThat(s.table()).isEqualTo("Pipes");
        assertThat(s.columns()).isNull();
        assertThat(s.where().conditions()).containsExactly(new Condition("name", "=", List.of(new Value("web_x", true))));
    }

    @Test
    void quotedColumnNamesAsDocumented() {
        Statement.Insert i = (Statement.Insert) one("INSERT INTO pipes_settings (\"name\", `length`) VALUES ('p10', 10)");
        assertThat(i.columns()).containsExactly("name", "length");
        assertThat(i.values().get(1).asLong()).isEqualTo(10);
        Statement.Insert noSpace = (Statement.Insert) one("INSERT INTO users_auth (id, hash )VALUES (1, 'auth_hash1');");
        assertThat(noSpace.values().get(1).text()).isEqualTo("auth_hash1");
    }

    @Test
    void commentsAreIgnored() {
        Statement s = one("/* mysql-connector-j-9.5.0 (Revision: x) */SELECT  @@session.auto_increment_increment AS "
                + "auto_increment_increment, @@character_set_client -- trailing\n # more\n LIMIT 1");
        Statement.SelectExpressions e = (Statement.SelectExpressions) s;
        assertThat(e.items()).extracting(Statement.SelectItem::label)
                .containsExactly("auto_increment_increment", "@@character_set_client");
        assertThat(e.items()).extracting(Statement.SelectItem::name)
                .containsExactly("auto_increment_increment", "character_set_client");
        assertThat(one("-- only a comment")).isInstanceOf(Statement.Empty.class);
    }

    @Test
    void whereInLimitOrderBy() {
        Statement.Select s = (Statement.Select) one("SELECT name, users FROM pipes WHERE name IN ('a', \"b\", c) AND users > 3 "
                + "ORDER BY name DESC LIMIT 2, 5");
        assertThat(s.columns()).containsExactly("name", "users");
        assertThat(s.where().conditions().get(0).values()).extracting(Value::text).containsExactly("a", "b", "c");
        assertThat(s.where().conditions().get(1).op()).isEqualTo(">");
        assertThat(s.where().hasOr()).isFalse();
        assertThat(s.orderBy()).isTrue();
        assertThat(s.limit()).isEqualTo(new Statement.Limit(2, 5));
        assertThat(((Statement.Select) one("SELECT * FROM pipes WHERE name = 'a' OR name = 'b' LIMIT 3 OFFSET 1")).limit())
                .isEqualTo(new Statement.Limit(1, 3));
    }

    @Test
    void statementsSplitOnSemicolonsOutsideQuotes() {
        List<Statement> s = CometQlParser.parse("INSERT INTO pipes_messages VALUES ('a;b', 'e', 'm;'); SHOW TABLES;;");
        assertThat(s).hasSize(2);
        assertThat(((Statement.Insert) s.get(0)).values().get(0).text()).isEqualTo("a;b");
    }

    @Test
    void connectTimeStatements() {
        assertThat(one("SET NAMES utf8")).isInstanceOf(Statement.Set.class);
        assertThat(one("set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),NAMES utf8mb4")).isInstanceOf(Statement.Set.class);
        assertThat(one("SET autocommit=1")).isInstanceOf(Statement.Set.class);
        assertThat(one("select DATABASE(), USER() limit 1")).isInstanceOf(Statement.SelectExpressions.class);
        assertThat(one("SHOW VARIABLES LIKE 'max_allowed_packet'")).isEqualTo(
                new Statement.Show(Statement.ShowKind.VARIABLES, null, null, "max_allowed_packet"));
        assertThat(one("SHOW GLOBAL STATUS")).isEqualTo(new Statement.Show(Statement.ShowKind.STATUS, "GLOBAL", null, null));
        assertThat(one("SHOW FULL COLUMNS FROM users_auth")).isEqualTo(
                new Statement.Show(Statement.ShowKind.COLUMNS, null, "users_auth", null));
        assertThat(one("DESCRIBE pipes")).isEqualTo(new Statement.Show(Statement.ShowKind.COLUMNS, null, "pipes", null));
        assertThat(one("COMMIT")).isInstanceOf(Statement.Transaction.class);
        assertThat(one("START TRANSACTION READ ONLY")).isInstanceOf(Statement.Transaction.class);
        assertThat(one("use db_5")).isEqualTo(new Statement.Use("db_5"));
        assertThat(one("SELECT 1")).isInstanceOf(Statement.SelectExpressions.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELEC 1", "SELECT name FROM pipes WHERE", "INSERT INTO p VALUES (1), (2)",
        "INSERT INTO users_auth (id, hash)VALUES (, 'x')", "UPDATE pipes SET users = 1", "SELECT * FROM",
        "SELECT 'unterminated", "SELECT * FROM pipes WHERE name = 'a' LIMIT x", "/* unclosed", "SHOW NOTHING",
        "DELETE pipes", "SELECT a + b FROM t", "SELECT name AS n FROM pipes WHERE name = 'x'", "SELECT name"})
    void syntaxErrorsAreCode3(String q) {
        assertThatThrownBy(() -> CometQlParser.parse(q)).isInstanceOfSatisfying(CometException.class, e -> {
            assertThat(e.code()).isEqualTo(3);
            assertThat(e.getMessage()).isEqualTo("Syntax error in query");
        });
    }
}
