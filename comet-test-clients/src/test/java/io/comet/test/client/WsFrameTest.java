package io.comet.test.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame bytes against RFC 6455 §5.7's examples, and the handshake's request and response head. */
class WsFrameTest {

    @Test
    void aMaskedFrameUnmasksToThePayload() {
        byte[] f = WsFrame.masked(WsFrame.TEXT, true, "Hello".getBytes(StandardCharsets.UTF_8));
        assertThat(f[0] & 0xFF).isEqualTo(0x81);
        assertThat(f[1] & 0xFF).isEqualTo(0x80 | 5);
        byte[] out = new byte[5];
        for (int i = 0; i < 5; i++) {
            out[i] = (byte) (f[6 + i] ^ f[2 + (i & 3)]);
        }
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("Hello");
        assertThat(WsFrame.masked(2, false, new byte[300])).startsWith(0x02, 0x80 | 126, 0x01, 0x2C);
        assertThat(WsFrame.masked(2, true, new byte[70_000])[1] & 0x7F).isEqualTo(127);
    }

    @Test
    void readsTheRfcsUnmaskedServerFrames() throws IOException {
        // RFC 6455 §5.7: a single-frame unmasked text message "Hello", then a 256-byte binary one
        byte[] hello = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
        byte[] big = new byte[4 + 256];
        big[0] = (byte) 0x82;
        big[1] = 0x7E;
        big[2] = 0x01;
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(hello);
        both.write(big);
        ByteArrayInputStream in = new ByteArrayInputStream(both.toByteArray());
        WsFrame f = WsFrame.read(in);
        assertThat(f.opcode()).isEqualTo(1);
        assertThat(f.fin()).isTrue();
        assertThat(f.text()).isEqualTo("Hello");
        assertThat(WsFrame.read(in).payload()).hasSize(256);
        assertThat(WsFrame.read(in)).isNull();
    }

    @Test
    void aMaskedOrCutServerFrameIsAnError() {
        assertThatThrownBy(() -> WsFrame.read(new ByteArrayInputStream(new byte[] {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4})))
                .hasMessageContaining("must not be masked");
        assertThatThrownBy(() -> WsFrame.read(new ByteArrayInputStream(new byte[] {(byte) 0x81, 0x05, 0x48})))
                .isInstanceOf(EOFException.class).hasMessageContaining("1 of 5");
    }

    @Test
    void theHandshakeWritesTheUpgradeAndReturnsTheHead() throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        String head = WsFrame.handshake(req, new ByteArrayInputStream(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                "h:1", "/ws/x", "k", "Origin: o\r\n");
        assertThat(head).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        assertThat(req.toString(StandardCharsets.ISO_8859_1)).startsWith("GET /ws/x HTTP/1.1\r\nHost: h:1\r\n")
                .contains("Sec-WebSocket-Key: k\r\n", "Origin: o\r\n").endsWith("\r\n\r\n");
        assertThatThrownBy(() -> WsFrame.handshake(new ByteArrayOutputStream(),
                new ByteArrayInputStream("HTTP/1.1 40".getBytes(StandardCharsets.ISO_8859_1)), "h", "/", "k", ""))
                .isInstanceOf(EOFException.class);
    }
}
