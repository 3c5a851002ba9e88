package io.comet.transport;

import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.comet.core.Message;
import io.comet.core.Names;
import io.comet.core.store.StreamPosition;
import java.util.Map;
import io.comet.core.Session;
import io.comet.core.SubscribeResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates one client command text (one WebSocket frame, or one element of a long-poll body)
 * into a {@link Session} call (client-protocol.md §2) and answers bad input with the error
 * frames of §3.6. Shared by the WebSocket and long-poll transports.
 */
final class Commands {

    /** What the transport does after a command. */
    enum Outcome {
        /** Keep the connection. */
        CONTINUE,
        /** Drop the connection abruptly (unknown command, §2.3 limits). */
        DISCONNECT
    }

    static final String TOO_MANY_LETTERS = "Too many letters";
    static final String NAME_TOO_LONG = "Channel name is too long";
    static final String BAD_NAME_CHARS = "The channel name can only contain characters A-Za-z0-9_-";
    static final String INVALID_AUTH_TYPE = "Invalid value auth_type";
    static final String BAD_UTF8 = "Message is not valid UTF-8";

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.commands");

    /** Command names in the original's matching order (§2.1). */
    private static final String[] ORDER = {
        "subscription", "user_status", "pipe_count", "statistics", "web_pipe2", "pipe_log",
        "track_pipe_users", "user_data", "cgi_call", "CometQL_call"};

    private final CometEngine engine;
    private final int maxSubscriptions;
    private final int maxName;
    private final int maxSubscriptionBytes;

    Commands(CometEngine engine) {
        this.engine = engine;
        this.maxSubscriptions = engine.config().maxSubscriptionsPerSession();
        this.maxName = engine.config().maxPipeNameLength();
        this.maxSubscriptionBytes = maxSubscriptions * (maxName + 4);
    }

    private void sendError(Session s, String text, Object... extra) {
        s.send(Message.error(engine.nowSeconds(), text, extra));
    }

    /** Executes one command. */
    Outcome execute(Session s, String text, BadInputLog bad) {
        String cmd = null;
        for (String c : ORDER) {
            if (text.startsWith(c)) {
                cmd = c;
                break;
            }
        }
        if (cmd == null) {
            bad.bad("unknown command " + quote(text) + ", disconnecting");
            return Outcome.DISCONNECT;
        }
        String args = text.substring(cmd.length());
        if (args.startsWith("\n")) {
            args = args.substring(1);
        }
        try {
            return switch (cmd) {
                case "subscription" -> subscription(s, args, bad);
                case "user_status" -> {
                    after(engine.userStatusRequest(s, leadingDigits(firstLine(args))));
                    yield Outcome.CONTINUE;
                }
                case "pipe_count" -> pipeCount(s, args, bad);
                case "web_pipe2" -> webPipe2(s, args, bad);
                case "pipe_log" -> pipeLog(s, args, bad);
                case "track_pipe_users" -> trackPipeUsers(s, args, bad);
                case "user_data" -> userData(s, args, bad);
                default -> Outcome.CONTINUE; // statistics, cgi_call, CometQL_call: accepted, ignored (§2.9, §2.11)
            };
        } catch (CometException e) {
            bad.bad(cmd + ": " + e.getMessage());
            sendError(s, e.getMessage(), "number_messages", -1);
            return Outcome.CONTINUE;
        }
    }

    private Outcome subscription(Session s, String args, BadInputLog bad) {
        Map<String, StreamPosition> resume = null;
        int tail = args.startsWith("-\n") ? 0 : args.indexOf("\n-\n");
        if (tail >= 0) { // the Comet extension: positions to resume from (docs/client-protocol.md §9)
            String json = args.substring(tail + (tail == 0 ? 2 : 3));
            args = args.substring(0, tail);
            resume = ResumeTail.parse(json, maxName);
            if (resume == null) {
                bad.bad("subscription with a bad resume tail " + quote(json));
                resume = Map.of();
            }
        }
        if (args.getBytes(StandardCharsets.UTF_8).length > maxSubscriptionBytes) {
            bad.bad("subscription list of " + args.length() + " chars, disconnecting");
            sendError(s, TOO_MANY_LETTERS, "code", "403");
            return Outcome.DISCONNECT;
        }
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = args.length();
        while (i < n) {
            int start = i;
            while (i < n && Names.isNameChar(args.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0) {
                i++; // a separator: any char outside [A-Za-z0-9_-]
                continue;
            }
            if (len < 2) {
                break; // a name shorter than 2 chars ends the list (§2.3)
            }
            if (len > maxName) {
                bad.bad("subscription name of " + len + " chars, disconnecting");
                sendError(s, NAME_TOO_LONG, "code", "403");
                return Outcome.DISCONNECT;
            }
            names.add(args.substring(start, i));
        }
        SubscribeResult r = resume == null ? engine.subscribe(s, names) : engine.subscribe(s, names, resume);
        if (r.truncated()) {
            bad.bad("more than " + maxSubscriptions + " subscriptions");
            sendError(s, TOO_MANY_LETTERS, "code", "403");
        }
        return Outcome.CONTINUE;
    }

    private Outcome webPipe2(Session s, String args, BadInputLog bad) {
        int n1 = args.indexOf('\n');
        int n2 = n1 < 0 ? -1 : args.indexOf('\n', n1 + 1);
        int n3 = n2 < 0 ? -1 : args.indexOf('\n', n2 + 1);
        if (n3 < 0 || n3 - n2 - 1 != 1) {
            bad.bad("web_pipe2 with a bad auth_type");
            sendError(s, INVALID_AUTH_TYPE, "number_messages", -1);
            return Outcome.CONTINUE;
        }
        String pipe = args.substring(0, n1);
        String event = args.substring(n1 + 1, n2);
        String msg = args.substring(n3 + 1);
        try {
            after(engine.webPublish(s, pipe, event, msg));
        } catch (CometException e) {
            bad.bad("web_pipe2: " + e.getMessage());
            String t = e.getMessage();
            if (t.startsWith("The event name") || t.startsWith("Invalid event name")) {
                sendError(s, t);
            } else {
                sendError(s, t, "number_messages", -1);
            }
        }
        return Outcome.CONTINUE;
    }

    private Outcome pipeLog(Session s, String args, BadInputLog bad) {
        String[] f = args.split("\n", -1);
        String pipe = f[0];
        String marker = f.length > 1 ? f[1] : "";
        if (!Names.isValid(pipe, 1, maxName)) {
            bad.bad("pipe_log: bad pipe " + quote(pipe));
            sendError(s, "Invalid channel name.", "number_messages", -1);
            return Outcome.CONTINUE;
        }
        if (!Names.isValid(marker, 1, maxName)) {
            bad.bad("pipe_log: bad marker " + quote(marker));
            sendError(s, "Invalid marker value.", "number_messages", -1);
            return Outcome.CONTINUE;
        }
        after(engine.pipeLog(s, pipe));
        return Outcome.CONTINUE;
    }

    /** An optional marker (may be empty) with a bad character or length: logged, error frame sent. */
    private boolean badOptionalMarker(Session s, String command, String marker, BadInputLog bad) {
        if (Names.hasOnlyNameChars(marker) && marker.length() <= maxName) {
            return false;
        }
        bad.bad(command + ": bad marker " + quote(marker));
        sendError(s, BAD_NAME_CHARS, "number_messages", -1);
        return true;
    }

    private Outcome pipeCount(Session s, String args, BadInputLog bad) {
        String[] f = args.split("\n", -1);
        String marker = f.length > 1 ? f[1] : "";
        if (badOptionalMarker(s, "pipe_count", marker, bad)) {
            return Outcome.CONTINUE;
        }
        after(engine.pipeCount(s, f[0], marker.isEmpty() ? null : marker));
        return Outcome.CONTINUE;
    }

    private Outcome trackPipeUsers(Session s, String args, BadInputLog bad) {
        String[] f = args.split("\n", -1);
        String marker = f.length > 1 ? f[1] : "";
        if (badOptionalMarker(s, "track_pipe_users", marker, bad)) {
            return Outcome.CONTINUE;
        }
        try {
            after(engine.trackPipeUsers(s, f[0], marker.isEmpty() ? null : marker));
        } catch (CometException e) {
            bad.bad("track_pipe_users: " + e.getMessage());
            sendError(s, e.getMessage(), "user_id", -1);
        }
        return Outcome.CONTINUE;
    }

    private Outcome userData(Session s, String args, BadInputLog bad) {
        String[] f = args.split("\n", -1);
        String marker = f[0];
        String id = f.length > 1 ? f[1] : "";
        if (!Names.isValid(marker, 1, maxName)) {
            bad.bad("user_data: bad marker " + quote(marker));
            if (!Names.hasOnlyNameChars(marker)) {
                sendError(s, BAD_NAME_CHARS, "number_messages", -1);
            }
            sendError(s, "Invalid marker name.", "user_id", -1, "user_data", "");
            return Outcome.CONTINUE;
        }
        long uid = leadingDigits(id);
        if (uid <= 0) {
            bad.bad("user_data: bad user id " + quote(id));
            sendError(s, "Invalid user id", "user_id", -1, "user_data", "");
            return Outcome.CONTINUE;
        }
        after(engine.userDataRequest(s, marker, uid));
        return Outcome.CONTINUE;
    }

    private static <T> void after(CompletableFuture<T> f) {
        f.whenComplete((v, e) -> {
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                log.warn("request failed: {}", c.toString());
            }
        });
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Leading-digit parsing ({@code 7abc} → 7), 0 when none or too long. */
    static long leadingDigits(String s) {
        int i = 0;
        while (i < s.length() && i < 18 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == 0 ? 0 : Long.parseLong(s.substring(0, i));
    }

    static String quote(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return '"' + LogText.escape(t).replace("\"", "\\\"") + '"';
    }
}
