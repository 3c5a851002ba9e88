package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.RawMySqlClient.Packet;
import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.cometql.table.CometQlExecutor.Outcome;
import io.comet.cometql.table.QlSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 7: fixed-seed fuzzing of the frame codec, the parser/executor and the live
 * connection handler. No exception escapes other than protocol errors answered as ERR, no
 * internal error (code 500), no leaked buffer (paranoid detection, {@link io.comet.test.client.LeakDetectionExtension}),
 * and a separate healthy connection keeps getting correct answers throughout.
 */
class CometQlFuzzTest {

    static final long SEED = 20261125L;
    static final Set<Integer> QUERY_ERROR_CODES = Set.of(2, 3, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21);

    static final List<String> CORPUS = List.of(
            "INSERT INTO pipes_messages (name, event, message) VALUES ('web_fuzz', 'evt', '{\"text\":\"it''s\"}')",
            "INSERT INTO users_auth (id, hash) VALUES (12, 'hash12')",
            "INSERT INTO pipes_settings (\"name\", \"length\") VALUES ('p10', 10)",
            "INSERT INTO users_messages (id, event, message) VALUES (2, 'evnt1', 'message')",
            "INSERT INTO users_data (id, data) VALUES (5, 'data')",
            "INSERT INTO revoked_tokens (token) VALUES ('a.b.c')",
            "SELECT * FROM pipes WHERE name IN ('web_admins', 'web_php_chat')",
            "SELECT name, user_id FROM users_in_pipes WHERE name = 'track_online'",
            "SELECT * FROM users_time WHERE id IN (2, 3, 145)",
            "SELECT name, index, event, message FROM pipes_messages WHERE name = 'p10' LIMIT 1, 2",
            "SELECT * FROM users_auth WHERE id = 12 AND hash = 'x'",
            "SELECT * FROM revoked_tokens",
            "DELETE FROM pipes_messages WHERE name = 'p10'",
            "DELETE FROM users_auth WHERE id = 12",
            "SHOW STATUS", "SHOW GLOBAL STATUS", "SHOW TABLES", "SHOW DATABASES", "DESCRIBE users_auth",
            "SHOW VARIABLES LIKE 'lower%'", "SELECT @@version_comment LIMIT 1", "SET NAMES utf8",
            "/* c */SELECT  @@session.auto_increment_increment AS a, @@max_allowed_packet AS m",
            "select DATABASE(), USER() limit 1", "USE db_3", "COMMIT");

    static final String ALPHABET = " '\"`\\;,()=<>*-+#/.@%_\n\0abcxyzSELECTFROMWHEREINSERTVALUESINTOLIMITOR0123456789ёж";

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer(CometQlConfig.builder().ip("127.0.0.1").port(0).build());
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String mutate(Random r, String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int op = r.nextInt(5);
            int pos = sb.length() == 0 ? 0 : r.nextInt(sb.length());
            switch (op) {
                case 0:
                    if (sb.length() > 0) {
                        sb.deleteCharAt(pos);
                    }
                    break;
                case 1:
                    sb.insert(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    break;
                case 2:
                    if (sb.length() > 0) {
                        sb.setCharAt(pos, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                    break;
                case 3:
                    String other = CORPUS.get(r.nextInt(CORPUS.size()));
                    int a = r.nextInt(other.length());
                    sb.insert(pos, other, a, Math.min(other.length(), a + 1 + r.nextInt(20)));
                    break;
                default:
                    if (sb.length() > 2) {
                        int end = Math.min(sb.length(), pos + 1 + r.nextInt(10));
                        sb.delete(pos, end);
                    }
                    break;
            }
        }
        return sb.toString();
    }

    static String randomQuery(Random r) {
        if (r.nextInt(10) == 0) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(60);
            for (int i = 0; i < n; i++) {
                sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
            return sb.toString();
        }
        return mutate(r, CORPUS.get(r.nextInt(CORPUS.size())));
    }

    /** 100,000 random and mutated queries through the parser and every table: only CometQL errors. */
    @Test
    void parserAndTablesSurvive100kMutatedQueries() {
        CometQlExecutor ex = new CometQlExecutor(ts.engine, CometQlConfig.DEFAULT);
        Random r = new Random(SEED);
        int errors = 0;
        for (int i = 0; i < 100_000; i++) {
            String q = randomQuery(r);
            QlSession s = new QlSession(i, "root", "fuzz", 0, null);
            List<Outcome> out = ex.run(s, q, r.nextBoolean()).join();
            assertThat(out).as(q).isNotEmpty();
            for (Outcome o : out) {
                if (o.error() != null) {
                    errors++;
                    assertThat(QUERY_ERROR_CODES).as("query %s gave %s", q, o.error()).contains(o.error().code());
                }
            }
        }
        assertThat(errors).isBetween(10_000, 99_000);
    }

    /** 100,000 random byte chunks and frames through the codec: no exception, nothing leaked. */
    @Test
    void frameCodecSurvivesRandomBytes() {
        Random r = new Random(SEED + 1);
        for (int round = 0; round < 200; round++) {
            io.comet.cometql.protocol.MySqlFrameCodec codec = new io.comet.cometql.protocol.MySqlFrameCodec(4096);
            EmbeddedChannel ch = new EmbeddedChannel(codec, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            for (int i = 0; i < 500; i++) {
                ByteBuf b = Unpooled.buffer();
                if (r.nextBoolean()) {
                    int len = r.nextInt(5000);
                    b.writeMediumLE(len).writeByte(r.nextInt(256));
                    byte[] payload = new byte[Math.min(len, r.nextInt(6000))];
                    r.nextBytes(payload);
                    b.writeBytes(payload);
                } else {
                    byte[] raw = new byte[r.nextInt(64)];
                    r.nextBytes(raw);
                    b.writeBytes(raw);
                }
                ch.writeInbound(b);
            }
            ch.finishAndReleaseAll();
        }
    }

    /**
     * Well-framed random and mutated commands on a live connection (every answer checked), while a
     * second, healthy connection keeps getting correct answers.
     */
    @Test
    void liveConnectionSurvivesRandomCommandsAndAHealthyOneKeepsWorking() throws Exception {
        Random r = new Random(SEED + 2);
        try (RawMySqlClient healthy = new RawMySqlClient(ts.port())) {
            assertThat(healthy.login("root", TestServer.PASSWORD, "CometQL_v1").isOk()).isTrue();
            RawMySqlClient fuzz = fuzzConnection();
            for (int i = 0; i < 20_000; i++) {
                byte[] payload = randomCommand(r);
                fuzz.send(0, payload);
                List<Packet> answer = fuzz.readResponse();
                Packet first = answer.get(0);
                if (first.isErr()) {
                    assertThat(first.errCode()).as("command %s", java.util.Arrays.toString(payload))
                            .isNotEqualTo(500).isNotEqualTo(1);
                }
                if (i % 500 == 0) {
                    assertThat(RawMySqlClient.rows(healthy.query("SELECT * FROM users_time WHERE id = 424242")))
                            .containsExactly(List.of("424242", "-1"));
                }
            }
            // the fuzzed connection itself is still alive and answering
            fuzz.send(0, new byte[] {0x0E});
            assertThat(fuzz.read().isOk()).isTrue();
            assertThat(RawMySqlClient.rows(healthy.query("SHOW DATABASES"))).containsExactly(List.of("CometQL_v1"));
            fuzz.close();
        }
    }

    private static RawMySqlClient fuzzConnection() throws Exception {
        RawMySqlClient c = new RawMySqlClient(ts.port());
        assertThat(c.login(RawMySqlClient.CAPS | MySqlConstants.CLIENT_MULTI_STATEMENTS, "root", TestServer.PASSWORD,
                null).isOk()).isTrue();
        return c;
    }

    private static byte[] randomCommand(Random r) {
        int kind = r.nextInt(10);
        if (kind < 6) {
            byte[] q = randomQuery(r).getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[q.length + 1];
            p[0] = 0x03;
            System.arraycopy(q, 0, p, 1, q.length);
            if (kind == 5 && q.length > 0) {
                p[1 + r.nextInt(q.length)] = (byte) r.nextInt(256);
            }
            return p;
        }
        byte[] p = new byte[1 + r.nextInt(40)];
        r.nextBytes(p);
        int cmd = p[0] & 0xFF;
        // commands that legitimately end the connection or send no/odd-shaped answers are covered in
        // MySqlProtocolTest; here they become pings so every command has exactly one answer
        if (cmd == 0x01 || cmd == 0x09 || cmd == 0x18 || cmd == 0x19 || cmd == 0x04) {
            p[0] = 0x0E;
        }
        return p;
    }
}
