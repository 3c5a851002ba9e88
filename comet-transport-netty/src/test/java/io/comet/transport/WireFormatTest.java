package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.Message;
import io.comet.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §1.5 framing of every length, §3.7 legacy transformation, §4.14 encoding rules. */
class WireFormatTest {

    @Test
    void everyLengthIsFramedCorrectlyIncluding123To125() {
        for (int textLen = 0; textLen < 300; textLen++) {
            Message m = Message.pipe("web_x", "e", "a".repeat(textLen), 0);
            WireFormat.Encoded e = WireFormat.frame(Json.write(m.envelope()));
            byte[] frame = new byte[e.frameLength()];
            e.frame().readBytes(frame);
            int len = e.payloadLength();
            assertThat(frame[0]).isEqualTo((byte) 0x81);
            if (len < 126) {
                assertThat(frame[1]).isEqualTo((byte) len);
                assertThat(frame).hasSize(len + 2);
            } else {
                assertThat(frame[1]).isEqualTo((byte) 126);
                assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(len);
            }
            String json = new String(frame, frame.length - len, len, StandardCharsets.UTF_8);
            assertThat(json).endsWith("}").doesNotContain("\0"); // Q26: no truncated 123–125-byte payloads
            assertThat(Json.parse(json)).isEqualTo(Json.parse(e.json()));
        }
    }

    @Test
    void payloadIsOneLineSoSeveralMessagesCanShareAFrame() {
        Message m = Message.pipe("web_x", "e", "line1\nline2\r\n'quote'\u2028", 0);
        String json = WireFormat.encode(m, false).json();
        assertThat(json).doesNotContain("\n").doesNotContain("\r").doesNotContain("'").doesNotContain("\u2028")
                .contains("\\u0027");
        String twoInOne = json + "\n" + WireFormat.encode(Message.pipe("web_y", "e", "x", 0), false).json();
        // the client trims, splits on \n and parses each line (§1.5)
        List<Object> parsed = java.util.Arrays.stream(twoInOne.trim().split("\n")).map(Json::parse).toList();
        assertThat(parsed).hasSize(2);
        assertThat(((Map<?, ?>) parsed.get(0)).get("data")).isEqualTo("line1\nline2\r\n'quote'\u2028");
    }

    @Test
    void legacyTransformation() {
        Message info = Message.of("sys", "serverInfo", "", null, null, 1_500_000_000L, false,
                Json.object("authorized", true, "server", "s"));
        assertThat(WireFormat.encode(info, true).json()).isEqualTo("{\"api_data\":\"for major_version < 4\","
                + "\"authorized\":\"true\",\"data\":\"\",\"event\":\"serverInfo\",\"event_name\":\"serverInfo\","
                + "\"message_send_time\":1500000000,\"pipe\":\"sys\",\"server\":\"s\"}");
        Message count = Message.of("_answer_pipe_count", "user_in_pipe", List.of("user_in_pipe", 0), null, "m", 0, false,
                null);
        assertThat(Json.parse(WireFormat.encode(count, true).json())).isEqualTo(Map.of("api_data",
                "for major_version < 4", "data", "[\"user_in_pipe\",0]", "event", "user_in_pipe", "event_name",
                "user_in_pipe", "marker", "m", "pipe", "_answer_pipe_count"));
        // pipe msg keeps non-string data as is
        Message call = Message.of("msg", "sys_sipCall", Json.object("message", "x"), null, null, 0, false, null);
        assertThat(((Map<?, ?>) Json.parse(WireFormat.encode(call, true).json())).get("data"))
                .isEqualTo(Map.of("message", "x"));
        // v4 untouched
        assertThat(WireFormat.encode(count, false).json()).isEqualTo("{\"data\":[\"user_in_pipe\",0],"
                + "\"event\":\"user_in_pipe\",\"marker\":\"m\",\"pipe\":\"_answer_pipe_count\"}");
    }
}
