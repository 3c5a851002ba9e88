package io.comet.core;

/**
 * Name rules for pipes, events, markers and hashes (client-protocol.md §4.2, cometql.md §5).
 *
 * <p>Decision on the docs/code disagreement (cometql.md §10 quirk 22): the 3.x docs give the
 * regex {@code [0-9A-z=+/_]{3,64}}; the original code enforces {@code [A-Za-z0-9_-]}. We follow
 * the code, because it is what browsers can subscribe to. One maximum length, 64 by default,
 * applies to pipes and events everywhere; minimum lengths differ per door: CometQL publish 3
 * (error 17), subscribe 2, other WebSocket commands 1.
 */
public final class Names {

    /** Characters allowed in pipe, event and marker names. */
    public static final String NAME_CHARS = "A-Za-z0-9_-";

    /** The text of the bad-character error (the original's wording, used for events too). */
    public static final String BAD_CHARS_TEXT = "The channel name can contain only the characters A-Za-z0-9_-";

    private Names() {
    }

    /** True for {@code [A-Za-z0-9_-]}. */
    public static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** True if every char of {@code s} is a name char (an empty string is true). */
    public static boolean hasOnlyNameChars(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code s} is a valid name of {@code minLen..maxLen} name chars. */
    public static boolean isValid(CharSequence s, int minLen, int maxLen) {
        return s != null && s.length() >= minLen && s.length() <= maxLen && hasOnlyNameChars(s);
    }

    /**
     * Checks a pipe name and throws the CometQL error of cometql.md §5 when it is invalid:
     * 11 "Channel name is too long", 17 "Channel name is too short", 12 bad characters.
     */
    public static String checkPipe(String name, int minLen, int maxLen) {
        if (name == null) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "field `name` is required");
        }
        if (name.length() > maxLen) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Channel name is too long");
        }
        if (name.length() < minLen) {
            throw new InvalidNameException(ErrorCode.EMPTY, "Channel name is too short");
        }
        if (!hasOnlyNameChars(name)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, BAD_CHARS_TEXT);
        }
        return name;
    }

    /** Checks an event name: 0..maxLen name chars (empty allowed). */
    public static String checkEvent(String event, int maxLen) {
        if (event == null) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, "field `event` is required");
        }
        if (event.length() > maxLen) {
            throw new InvalidNameException(ErrorCode.OVERFLOW, "Channel event_name is too long");
        }
        if (!hasOnlyNameChars(event)) {
            throw new InvalidNameException(ErrorCode.INVALID_DATA, BAD_CHARS_TEXT);
        }
        return event;
    }

    /** True for a valid auth hash: at most 32 chars of {@code [A-Za-z0-9=+/_]}. */
    public static boolean isValidHash(CharSequence h) {
        if (h == null || h.length() > 32) {
            return false;
        }
        return hashCharsOk(h);
    }

    /** Checks a hash for {@code users_auth} INSERT: characters first (12), then length (11). */
    public static String checkHash(String h) {
        if (h == null) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `hash` is required");
        }
        if (!hashCharsOk(h)) {
            throw new CometException(ErrorCode.INVALID_DATA, "Contains an invalid characters in the string hash");
        }
        if (h.length() > 32) {
            throw new CometException(ErrorCode.OVERFLOW, "Hash string is too long");
        }
        return h;
    }

    private static boolean hashCharsOk(CharSequence h) {
        for (int i = 0, n = h.length(); i < n; i++) {
            char c = h.charAt(i);
            if (!(isNameChar(c) && c != '-') && c != '=' && c != '+' && c != '/') {
                return false;
            }
        }
        return true;
    }

    /** Checks a user id for auth/data tables: 1..999 999 999 (cometql.md §5 [proj]). */
    public static long checkUserId(long id, boolean allowZero) {
        if (id < 0 || (id == 0 && !allowZero)) {
            throw new CometException(ErrorCode.INVALID_DATA, "The id field must be non-negative");
        }
        if (id > 999_999_999L) {
            throw new CometException(ErrorCode.INVALID_DATA, "The id field must have at most 9 digits");
        }
        return id;
    }
}
