package io.comet.core;

import java.util.Objects;

/**
 * The one table of name, size and access rules that every door applies (WebSocket and long-poll
 * commands, CometQL tables, CometQL over HTTP, the Java API): each rule is a method here, so a
 * door never restates a length or a prefix. Character rules are in {@link Names}.
 *
 * <table>
 * <caption>Pipe name minimum lengths by use (docs/cometql.md §5, docs/client-protocol.md §2.3)</caption>
 * <tr><th>use</th><th>min</th><th>error when shorter</th></tr>
 * <tr><td>{@link PipeUse#PUBLISH} (pipes_messages INSERT, {@code publish})</td><td>3</td><td>17</td></tr>
 * <tr><td>{@link PipeUse#SETTINGS} (pipes_settings)</td><td>3</td><td>17</td></tr>
 * <tr><td>{@link PipeUse#READ} (SELECT, DELETE, history reads)</td><td>1</td><td>17</td></tr>
 * </table>
 * The maximum is {@link CometConfig#maxPipeNameLength()} everywhere (error 11).
 */
public final class Rules {

    /** What a pipe name is used for; decides its minimum length. */
    public enum PipeUse {
        /** Publishing from the backend or the Java API. */
        PUBLISH(3),
        /** {@code pipes_settings} writes. */
        SETTINGS(3),
        /** Reads and deletes by name. */
        READ(1);

        final int min;

        PipeUse(int min) {
            this.min = min;
        }
    }

    private final CometConfig config;

    /** Rules under the limits of {@code config}. */
    public Rules(CometConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The limits in force. */
    public CometConfig config() {
        return config;
    }

    /** Checks a dev_id (error 12 "Invalid dev_id value"). */
    public int checkDev(int devId) {
        if (devId < 0 || devId >= config.devIndexSize()) {
            throw new CometException(ErrorCode.INVALID_DATA, "Invalid dev_id value");
        }
        return devId;
    }

    /** Checks a pipe name for {@code use} (errors 11, 17, 12 of cometql.md §5). */
    public String checkPipe(String name, PipeUse use) {
        return Names.checkPipe(name, use.min, config.maxPipeNameLength());
    }

    /** True if {@code name} is a valid pipe name for a browser command (1..max name chars). */
    public boolean isCommandPipe(String name) {
        return Names.isValid(name, 1, config.maxPipeNameLength());
    }

    /** Checks an event name (0..max name chars). */
    public String checkEvent(String event) {
        return Names.checkEvent(event, config.maxEventNameLength());
    }

    /** Checks a message text: present, at most {@link CometConfig#maxMessageBytes()} UTF-8 bytes, well-formed. */
    public String checkText(String text) {
        if (text == null) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `message` is required");
        }
        int max = config.maxMessageBytes();
        if (text.length() > max || (text.length() * 3 > max && utf8Length(text) > max)) {
            throw new LimitExceededException(ErrorCode.OVERFLOW, "maxMessageBytes",
                    "Message is too long (max " + max + " bytes)");
        }
        if (!isWellFormed(text)) {
            throw new CometException(ErrorCode.INVALID_DATA, "Message is not valid UTF-8");
        }
        return text;
    }

    /**
     * Checks a browser publish's pipe ({@code web_pipe2}, client-protocol.md §2.4/§4.5):
     * {@code web_*}, {@code webauth_*} (authenticated senders only) or {@code @web_*} (sent
     * anonymously); returns the pipe without {@code @}. The error texts are the original's.
     */
    public WebPipe checkWebPublish(Session sender, String pipeSpec, String event) {
        int max = config.maxPipeNameLength();
        if (pipeSpec == null || pipeSpec.isEmpty()) {
            throw new InvalidNameException(ErrorCode.EMPTY, "Invalid pipe name length");
        }
        boolean anonymous = pipeSpec.startsWith("@");
        String pipe = anonymous ? pipeSpec.substring(1) : pipeSpec;
        if (pipe.length() > max || pipe.isEmpty()) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Invalid pipe name length");
        }
        if (!Names.hasOnlyNameChars(pipe)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "The channel name can only contain characters A-Za-z0-9_-");
        }
        if (event == null || event.length() > config.maxEventNameLength()) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Invalid event name length");
        }
        if (!Names.hasOnlyNameChars(event)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "The event name can only contain characters A-Za-z0-9_-");
        }
        if (pipe.startsWith("webauth_") && !anonymous) {
            if (!sender.isAuthorized()) {
                throw new AccessDeniedException(ErrorCode.INVALID_DATA,
                        "[webauth_pipe_msg2] Invalid user auth. In to channel with name like webauth_* can not send messages anonim users");
            }
        } else if (!pipe.startsWith("web_")) {
            throw new AccessDeniedException(ErrorCode.INVALID_DATA,
                    "[pipe_msg2] Invalid channel name. The channel should begin with web_");
        }
        return new WebPipe(pipe, anonymous);
    }

    /** A checked browser publish target: the pipe, and whether the sender stays anonymous ({@code @}). */
    public record WebPipe(String pipe, boolean anonymous) {
    }

    /**
     * Checks a subscription list entry (1..max name chars; errors 11/17/12 as the original's
     * "Invalid pipe name length" and bad-characters texts).
     */
    public void checkSubscribePipe(String n) {
        int max = config.maxPipeNameLength();
        if (Names.isValid(n, 1, max)) {
            return;
        }
        if (n == null || n.isEmpty() || n.length() > max) {
            throw new InvalidNameException(n != null && n.length() > max ? ErrorCode.OVERFLOW : ErrorCode.EMPTY,
                    "Invalid pipe name length");
        }
        throw new InvalidNameException(ErrorCode.INVALID_DATA, Names.BAD_CHARS_TEXT);
    }

    // ---- access: who may read or join which pipe (one rule, one place)

    /**
     * True if {@code session} may subscribe to {@code pipe}: {@code private_*} needs an
     * authenticated connection (client-protocol.md §2.3 rule 4).
     */
    public boolean maySubscribe(Session session, String pipe) {
        return !pipe.startsWith("private_") || session.isAuthorized();
    }

    /**
     * True if {@code session} may read anything of {@code pipe} ({@code pipe_log},
     * {@code pipe_count}, {@code track_pipe_users}): the same rule as subscribing.
     */
    public boolean mayRead(Session session, String pipe) {
        return maySubscribe(session, pipe);
    }

    /** True for pipes whose history is kept without a setting and never trimmed ({@code trust_*}, §4.10). */
    public static boolean isTrustPipe(String pipe) {
        return pipe.startsWith("trust_");
    }

    /** True for {@code track_*} pipes (join/leave events and member lists, §4.9). */
    public static boolean isTrackPipe(String pipe) {
        return pipe.startsWith("track_");
    }

    /** The presence pipe of a user ({@code user_status_N}, §4.8). */
    public static String userStatusPipe(long userId) {
        return "user_status_" + userId;
    }

    /** UTF-8 length of {@code s} without encoding it. */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** False if the string holds an unpaired surrogate (cannot be valid UTF-8). */
    public static boolean isWellFormed(String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
