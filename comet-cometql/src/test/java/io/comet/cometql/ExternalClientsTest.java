package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import io.comet.core.json.Json;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 5: real clients against a server on an ephemeral port — the mariadb CLI (seed bash
 * example, {@code show status}, interactive session with auto-rehash, the checklist), PHP
 * mysqli (the seed's PHP examples unchanged except host/port/password, and the checklist) and
 * the Node drivers {@code mysql} and {@code mysql2} (checklist). The checklist is: connect,
 * INSERT pipes_messages, INSERT users_auth, SELECT users_time / pipes / users_in_pipes, an
 * invalid query with its error code, quit. Under CI (env {@code CI}) a missing client fails.
 */
class ExternalClientsTest {

    static final String SEED_KEY = "lPXBFPqNg3f661JcegBY0N0dPXqUBdHXqj2cHf04PZgLHxT6z55e20ozojvMRvB8";
    static final Duration WAIT = Duration.ofSeconds(10);

    static TestServer ts;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String seed(String name) throws IOException {
        try (InputStream in = ExternalClientsTest.class.getResourceAsStream("/seed/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The only edits allowed to a seed example: host, port, password. */
    static String localize(String seedText) {
        return seedText.replace("\"app.comet-server.ru\"", "\"127.0.0.1\"")
                .replace("\"CometQL_v1\");", "\"CometQL_v1\", " + ts.port() + ");")
                .replace("-h app.comet-server.ru", "-h 127.0.0.1 -P " + ts.port())
                .replace(SEED_KEY, TestServer.PASSWORD);
    }

    static InProcessClient subscriber(int devId, String pipe) {
        InProcessClient c = ts.engine.connectInProcess(ConnectRequest.anonymous(devId, "tab-" + pipe));
        c.subscribe(List.of(pipe));
        return c;
    }

    // ---------------------------------------------------------------- mariadb / mysql CLI

    @Test
    void seedBashExamplePublishesThroughTheMysqlCli() throws Exception {
        ExternalProcess.requireTool("mysql");
        InProcessClient browser = subscriber(15, "web_MainPageChat");
        String line = localize(seed("bash-publish.txt"));
        ExternalProcess.Result r = ExternalProcess.run(List.of("bash", "-c", line), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        Message m = browser.await(x -> x.pipe().equals("web_MainPageChat"), WAIT);
        assertThat(m.event()).isEmpty();
        assertThat(m.text()).startsWith("{\"text\":\"").contains("\"name\":\"AVG ");
        browser.disconnect();
    }

    @Test
    void seedCliConnectLineRunsShowStatus() throws Exception {
        ExternalProcess.requireTool("mysql");
        String line = localize(seed("cli-connect.txt")).strip();
        ExternalProcess.Result r = ExternalProcess.run(List.of("bash", "-c", line + " -e 'show status'"), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Variable_name\tValue").contains("id\t15").contains("server_online\t1");
    }

    @Test
    void mariadbCliChecklist() throws Exception {
        ExternalProcess.requireTool("mariadb");
        InProcessClient browser = subscriber(0, "web_cli");
        String script = "INSERT INTO pipes_messages (name, event, message) VALUES ('web_cli', 'evt', 'it''s \\\"cli\\\"');\n"
                + "INSERT INTO users_auth (id, hash) VALUES (31, 'hash31');\n"
                + "SELECT * FROM users_time WHERE id = 31;\n"
                + "SELECT * FROM pipes WHERE name = 'web_cli';\n"
                + "SELECT name, user_id FROM users_in_pipes WHERE name = 'web_cli';\n"
                + "SELECT * FROM no_such_table WHERE id = 1;\n"
                + "quit\n";
        ExternalProcess.Result r = ExternalProcess.run(List.of("mariadb", "-h", "127.0.0.1", "-P",
                Integer.toString(ts.port()), "-uroot", "-p" + TestServer.PASSWORD, "-DCometQL_v1", "--force", "--batch"),
                script, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(browser.await(x -> x.pipe().equals("web_cli"), WAIT).text()).isEqualTo("it's \"cli\"");
        assertThat(ts.engine.accounts().authHash(0, 31).join()).contains("hash31");
        assertThat(r.out()).contains("id\ttime\n31\t-1\n").contains("name\tusers\nweb_cli\t1\n")
                .contains("name\tuser_id\nweb_cli\t0\n");
        assertThat(r.err()).contains("ERROR 15 (HY000)").contains("Table doesn't exist");
        browser.disconnect();
    }

    @Test
    void mariadbCliInteractiveSessionWithAutoRehashAndStatus() throws Exception {
        ExternalProcess.requireTool("mariadb");
        ExternalProcess.requireTool("script");
        String cmd = "mariadb -h 127.0.0.1 -P " + ts.port() + " -uroot -p" + TestServer.PASSWORD + " -DCometQL_v1";
        ExternalProcess.Result r = ExternalProcess.run(List.of("script", "-qfec", cmd, "/dev/null"),
                "show tables;\nstatus\nquit\n", null);
        assertThat(r.exit()).as(r.toString()).isZero();
        // auto-rehash ran show databases / show tables / COM_FIELD_LIST, then @@version_comment
        assertThat(r.out()).contains("Server version:").contains("5.7.99-CometQL-0.1")
                .contains("pipes_messages").contains("Current database:").contains("CometQL_v1")
                .doesNotContain("ERROR");
    }

    // ---------------------------------------------------------------- PHP mysqli

    private ExternalProcess.Result php(String code, String... extra) throws Exception {
        ExternalProcess.requireTool("php");
        Path file = tmp.resolve("example.php");
        Files.writeString(file, code);
        List<String> cmd = new java.util.ArrayList<>(List.of("php"));
        cmd.addAll(List.of(extra));
        cmd.add(file.toString());
        return ExternalProcess.run(cmd, null, null);
    }

    @Test
    void seedPhpPublishExample() throws Exception {
        InProcessClient browser = subscriber(15, "Pipe_name");
        ExternalProcess.Result r = php(localize(seed("php-publish.txt")));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).doesNotContain("error");
        Message m = browser.await(x -> x.pipe().equals("Pipe_name"), WAIT);
        assertThat(m.event()).isEqualTo("event_name");
        assertThat(m.text()).isEqualTo("{\"text\":\"текст сообщения\",\"param2\":\"ещё что угодно\"}");
        browser.disconnect();
    }

    @Test
    void seedPhpShowStatusExample() throws Exception {
        ExternalProcess.Result r = php("<?php\n" + localize(seed("php-show-status.txt")));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("Error code").contains("\"Variable_name\"]=>")
                .contains("string(13) \"server_online\"").contains("string(2) \"15\"");
    }

    /**
     * The seed's chat-with-authorization example, unchanged: its publish works; its
     * {@code users_auth} line has a PHP bug ({@code $users[(int)$_GET["login"]]} is always
     * undefined, so the query is {@code VALUES (, 'hash')}), which any MySQL server rejects as
     * a syntax error (code 3), as the original did.
     */
    @Test
    void seedPhpChatAuthExampleUnchanged() throws Exception {
        InProcessClient browser = subscriber(15, "loginPipe");
        Path prepend = tmp.resolve("get.php");
        Files.writeString(prepend, "<?php $_GET = ['login' => 'victor', 'pass' => 'qwerty'];");
        ExternalProcess.Result r = php(localize(seed("php-chat-auth.txt")), "-d", "auto_prepend_file=" + prepend);
        Message m = browser.await(x -> x.pipe().equals("loginPipe"), WAIT);
        assertThat(m.event()).isEqualTo("userLogin");
        assertThat(m.text()).isEqualTo("{\"name\":\"\\u0412\\u0438\\u043a\\u0442\\u043e\\u0440\"}");
        assertThat(r.err() + r.out()).contains("Syntax error in query");
        browser.disconnect();
    }

    /**
     * The same example with only its PHP bug fixed ({@code (int)} removed): the hash it inserts
     * into {@code users_auth} authorizes a browser session of user 1.
     */
    @Test
    void seedPhpChatAuthExampleWithItsPhpBugFixedAuthorizesTheUser() throws Exception {
        Path prepend = tmp.resolve("get.php");
        Files.writeString(prepend, "<?php $_GET = ['login' => 'victor', 'pass' => 'qwerty'];");
        String code = localize(seed("php-chat-auth.txt")).replace("$users[(int)$_GET[\"login\"]]", "$users[$_GET[\"login\"]]");
        ExternalProcess.Result r = php(code, "-d", "auto_prepend_file=" + prepend);
        java.util.regex.Matcher hash = java.util.regex.Pattern.compile("<pre>([0-9a-f]{32})\n</pre>").matcher(r.out());
        assertThat(hash.find()).as(r.toString()).isTrue();
        assertThat(ts.engine.accounts().authHash(15, 1).join()).contains(hash.group(1));
        InProcessClient tab = ts.engine.connectInProcess(ConnectRequest.user(15, 1, hash.group(1), "victor-tab"));
        assertThat(tab.session().isAuthorized()).isTrue();
        tab.disconnect();
    }

    @Test
    void phpMysqliChecklist() throws Exception {
        ExternalProcess.requireTool("php");
        InProcessClient browser = subscriber(0, "web_php");
        ExternalProcess.Result r = ExternalProcess.run(List.of("php", new File("src/test/php/checklist.php").getPath(),
                Integer.toString(ts.port()), TestServer.PASSWORD, "web_php", "41"), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.out().strip());
        assertChecklist(out, "web_php", 41);
        assertThat(out.get("escape_after_ok")).isEqualTo("a\\'b");
        assertThat(browser.await(x -> x.pipe().equals("web_php"), WAIT).text()).isEqualTo("it's \"mysqli\" \\ ok");
        browser.disconnect();
    }

    @Test
    void phpPdoWithEmulatedPrepares() throws Exception {
        ExternalProcess.requireTool("php");
        InProcessClient browser = subscriber(0, "web_pdo");
        ExternalProcess.Result r = ExternalProcess.run(List.of("php", new File("src/test/php/pdo.php").getPath(),
                Integer.toString(ts.port()), TestServer.PASSWORD, "web_pdo"), null, null);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.parse(r.out().strip())).isEqualTo(Map.of("insert_pipes_messages", 0L,
                "pipes", List.of(List.of("web_pdo", "1")), "invalid", 15L));
        assertThat(browser.await(x -> x.pipe().equals("web_pdo"), WAIT).text()).isEqualTo("it's \"pdo\"");
        browser.disconnect();
    }

    // ---------------------------------------------------------------- Node mysql / mysql2

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mysql2"})
    void nodeChecklist(String driver) throws Exception {
        ExternalProcess.requireTool("node");
        File dir = new File("src/test/node");
        ExternalProcess.require(new File(dir, "node_modules/" + driver).isDirectory(),
                "npm package " + driver + " is not installed (run .ci/install-cometql-clients.sh)");
        String pipe = "web_node_" + driver;
        long userId = driver.equals("mysql") ? 51 : 52;
        InProcessClient browser = subscriber(0, pipe);
        ExternalProcess.Result r = ExternalProcess.run(List.of("node", "checklist.js", driver,
                Integer.toString(ts.port()), TestServer.PASSWORD, pipe, Long.toString(userId)), null, dir);
        assertThat(r.exit()).as(r.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.out().strip());
        assertChecklist(out, pipe, userId);
        assertThat(browser.await(x -> x.pipe().equals(pipe), WAIT).text()).isEqualTo("it's \"" + driver + "\" \\ ok");
        browser.disconnect();
    }

    private static void assertChecklist(Map<String, Object> out, String pipe, long userId) {
        assertThat(out.get("connected")).isEqualTo(true);
        assertThat(out.get("insert_pipes_messages")).isEqualTo(Map.of("affected", 0L));
        assertThat(out.get("insert_users_auth")).isEqualTo(Map.of("affected", 1L, "insert_id", userId));
        assertThat(ts.engine.accounts().authHash(0, userId).join()).contains("hash" + userId);
        assertThat(out.get("users_time")).isEqualTo(List.of(List.of(Long.toString(userId), "-1")));
        assertThat(out.get("pipes")).isEqualTo(List.of(List.of(pipe, "1")));
        assertThat(out.get("users_in_pipes")).isEqualTo(List.of(List.of(pipe, "0")));
        assertThat(out.get("invalid")).isEqualTo(Map.of("errno", 15L, "message", "Table doesn't exist"));
        assertThat(out.get("quit")).isEqualTo(true);
    }
}
