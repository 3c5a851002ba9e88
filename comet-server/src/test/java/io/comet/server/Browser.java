package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that opens like the original CometServerApi.js v4 and queues the text lines it receives. */
final class Browser implements WebSocket.Listener, AutoCloseable {

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static Browser open(int port) throws Exception {
        Browser b = new Browser();
        String url = "ws://127.0.0.1:" + port + "/ws/sesion=&myid=0&devid=0&v=4.08"
                + "&uuid=serverTest0123456789abcdefghijklm&api=js";
        b.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), b).get(10, TimeUnit.SECONDS);
        return b;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            for (String line : partial.toString().split("\n")) {
                frames.add(line);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    String nextContaining(String needle) throws InterruptedException {
        while (true) {
            String f = frames.poll(10, TimeUnit.SECONDS);
            assertThat(f).as("a frame containing " + needle + " within 10 s").isNotNull();
            if (f.contains(needle)) {
                return f;
            }
        }
    }

    void send(String command) {
        ws.sendText(command, true).join();
    }

    @Override
    public void close() {
        ws.abort();
    }
}
