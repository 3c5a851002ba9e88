package io.comet.bench;

/** What a scenario wants to hear from the tabs; called on the tabs' event loops. */
interface Listener {
    Listener NONE = new Listener() {
    };

    /** A pipe or private message (not serverInfo, not an error on {@code sys}). */
    default void onMessage(Conn conn, JsonLine line) {
    }

    /** The channel of this tab closed. */
    default void onClosed(Conn conn) {
    }
}
