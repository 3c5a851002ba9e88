package io.comet.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineTest {
    private static JsonLine scan(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        JsonLine l = new JsonLine();
        assertThat(l.scan(b, 0, b.length)).isTrue();
        return l;
    }

    @Test
    void serverInfoOfTheOriginal() {
        JsonLine l = scan("{\"authorized\":true,\"data\":\"a1b2c3\",\"event\":\"serverInfo\",\"message_send_time\":1500000000,"
                + "\"pipe\":\"sys\",\"server\":\"CppComet community 4.09 (AGPL license)\"}");
        assertThat(l.authorized).isEqualTo(1);
        assertThat(l.eventIs("serverInfo")).isTrue();
        assertThat(l.pipeIs("sys")).isTrue();
        assertThat(l.data()).isEqualTo("a1b2c3");
    }

    @Test
    void legacyStringAuthorizedAndFalse() {
        assertThat(scan("{\"authorized\":\"true\",\"data\":\"\",\"event\":\"serverInfo\",\"pipe\":\"sys\"}").authorized).isEqualTo(1);
        assertThat(scan("{\"authorized\":false,\"data\":\"\",\"event\":\"serverInfo\",\"pipe\":\"sys\"}").authorized).isZero();
    }

    @Test
    void nestedDataAndEscapedStringsAreSkipped() {
        JsonLine l = scan("{\"data\":{\"error\":\"Error \\\"x\\\" {[\",\"error_code\":418},\"event\":\"error\",\"pipe\":\"sys\"}");
        assertThat(l.hasData).isTrue();
        assertThat(l.dataStart).isNegative();
        assertThat(l.eventIs("error")).isTrue();
        assertThat(l.pipeIs("sys")).isTrue();
    }

    @Test
    void pipeMessageAndQueueFlag() {
        JsonLine l = scan("{\"data\":\"abc.1.2.3.4.xx\",\"event\":\"m\",\"fromQueue\":true,\"pipe\":\"msg\"}");
        assertThat(l.data()).isEqualTo("abc.1.2.3.4.xx");
        assertThat(l.fromQueue).isTrue();
        assertThat(l.event()).isEqualTo("m");
        assertThat(l.pipe()).isEqualTo("msg");
    }

    @Test
    void notAnObject() {
        byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(new JsonLine().scan(b, 0, 5)).isFalse();
    }
}
