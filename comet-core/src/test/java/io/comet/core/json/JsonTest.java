package io.comet.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void keysAreSortedAndOutputIsCompact_clientProtocol_1_5() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipe", "web_chat");
        m.put("data", "x");
        m.put("event", "e");
        m.put("message_send_time", 1500000000L);
        assertThat(Json.write(m))
                .isEqualTo("{\"data\":\"x\",\"event\":\"e\",\"message_send_time\":1500000000,\"pipe\":\"web_chat\"}");
    }

    @Test
    void apostropheIsWrittenAsUnicodeEscape_clientProtocol_4_14_rule2() {
        assertThat(Json.write("it's")).isEqualTo("\"it\\u0027s\"");
    }

    @Test
    void controlCharactersAndLineSeparatorsAreEscaped() {
        assertThat(Json.write("a\nb\u0001\u2028\"\\")).isEqualTo("\"a\\nb\\u0001\\u2028\\\"\\\\\"");
    }

    @Test
    void nestedValuesAndArrays() {
        assertThat(Json.write(List.of("user_in_pipe", 3))).isEqualTo("[\"user_in_pipe\",3]");
        assertThat(Json.write(Json.object("b", true, "a", null, "c", List.of(Json.object("z", 1, "y", 2)))))
                .isEqualTo("{\"a\":null,\"b\":true,\"c\":[{\"y\":2,\"z\":1}]}");
    }

    @Test
    void parseRoundTrips() {
        Object v = Json.parse(" {\"user_id\": 5, \"exp\": 1.5e9, \"s\":\"a\\u0027\\n\", \"l\":[true,false,null]} ");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(m.get("user_id")).isEqualTo(5L);
        assertThat(m.get("exp")).isEqualTo(1.5e9);
        assertThat(m.get("s")).isEqualTo("a'\n");
        assertThat(m.get("l")).isEqualTo(java.util.Arrays.asList(true, false, null));
    }

    @Test
    void parseRejectsGarbage() {
        for (String bad : new String[] {"", "{", "{\"a\"}", "[1,]", "tru", "\"x", "{} x", "[\"\u0001\"]"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parseLimitsNesting() {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting");
    }
}
