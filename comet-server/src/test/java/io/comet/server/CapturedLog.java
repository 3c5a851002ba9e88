package io.comet.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** What a server logs while it starts (slf4j-simple writes to stderr in these tests), kept and echoed. */
final class CapturedLog {

    private CapturedLog() {
    }

    /** Starts a server with stderr captured into {@code log[0]}; the text is echoed to stderr afterwards. */
    static CometServer captured(String[] log, Supplier<CometServer> start) {
        PrintStream err = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return start.get();
        } finally {
            System.setErr(err);
            log[0] = out.toString(StandardCharsets.UTF_8);
            err.print(log[0]);
        }
    }
}
