package io.comet.cometql.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.CometQlConfig;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Acceptance 6: CometQL over HTTP — same password, parser, tables and error codes; JSON answers. */
class CometQlHttpServiceTest {

    CometEngine engine;
    CometQlHttpService http;

    @BeforeEach
    void setUp() {
        engine = CometEngine.builder().config(CometConfig.builder().password("secret").build())
                .maintenanceIntervalSeconds(0).build();
        http = new CometQlHttpService(engine, CometQlConfig.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void insertPublishesAndAnswersAffectedRows() {
        InProcessClient b = engine.connectInProcess(ConnectRequest.anonymous(0, "tab"));
        b.subscribe(List.of("web_chat"));
        HttpAnswer a = http.execute("Bearer secret",
                "INSERT INTO pipes_messages (name, event, message) VALUES ('web_chat', 'new', 'it''s')").join();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(a.body()).isEqualTo("{\"affected_rows\":0,\"last_insert_id\":0}");
        assertThat(b.await(m -> m.pipe().equals("web_chat"), Duration.ofSeconds(5)).text()).isEqualTo("it's");
        assertThat(http.execute(basic("root", "secret"), "INSERT INTO users_auth (id, hash) VALUES (7, 'h7')").join().body())
                .isEqualTo("{\"affected_rows\":1,\"last_insert_id\":7}");
    }

    @Test
    void selectAnswersColumnsAndRowsAsStrings() {
        HttpAnswer a = http.execute(basic("root", "secret"), "SELECT * FROM users_time WHERE id IN (1, 2)").join();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("{\"columns\":[\"id\",\"time\"],\"rows\":[[\"1\",\"-1\"],[\"2\",\"-1\"]]}");
    }

    @Test
    void userNameSelectsTheNamespaceAsOnTheMysqlPort() {
        assertThat(http.execute(basic("15", "secret"), "SHOW STATUS").join().body()).contains("[\"id\",\"15\"]");
        assertThat(http.execute(basic("0", "secret"), "SHOW STATUS").join().body()).contains("[\"id\",\"0\"]");
        assertThat(http.execute(basic("foo", "secret"), "SHOW STATUS").join().status()).isEqualTo(401);
    }

    @Test
    void badCredentialsAre401() {
        for (String h : new String[] {null, "", "Bearer wrong", basic("root", "wrong"), "Basic !!!", "Digest x",
            "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes())}) {
            HttpAnswer a = http.execute(h, "SHOW STATUS").join();
            assertThat(a.status()).as(String.valueOf(h)).isEqualTo(401);
            assertThat(a.body()).isEqualTo("{\"error\":{\"code\":16,\"message\":\"Authentication failure\"}}");
        }
    }

    @Test
    void queryErrorsAre400WithTheCometQlCode() {
        HttpAnswer a = http.execute("Bearer secret", "SELECT * FROM nope WHERE id = 1").join();
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).isEqualTo("{\"error\":{\"code\":15,\"message\":\"Table doesn\\u0027t exist\"}}");
        assertThat(http.execute("Bearer secret", "SELEC").join().body())
                .isEqualTo("{\"error\":{\"code\":3,\"message\":\"Syntax error in query\"}}");
        assertThat(http.execute("Bearer secret", "x").join().body())
                .isEqualTo("{\"error\":{\"code\":17,\"message\":\"Data is too short\"}}");
        assertThat(http.execute("Bearer secret", "SELECT '" + "a".repeat(9000) + "'").join().body())
                .isEqualTo("{\"error\":{\"code\":11,\"message\":\"Data is too long\"}}");
        assertThat(http.execute("Bearer secret", "SHOW TABLES; SHOW DATABASES").join().status()).isEqualTo(400);
        assertThat(http.execute("Bearer secret", null).join().status()).isEqualTo(400);
    }
}
