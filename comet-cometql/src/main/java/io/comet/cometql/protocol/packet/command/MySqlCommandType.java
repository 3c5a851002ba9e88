package io.comet.cometql.protocol.packet.command;

/**
 * The COM_* command bytes CometQL distinguishes (cometql.md §1.6).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html">Command phase</a>
 */
public enum MySqlCommandType {
    COM_QUIT(0x01),
    COM_INIT_DB(0x02),
    COM_QUERY(0x03),
    COM_FIELD_LIST(0x04),
    COM_STATISTICS(0x09),
    COM_PING(0x0E),
    COM_CHANGE_USER(0x11),
    COM_STMT_PREPARE(0x16),
    COM_STMT_EXECUTE(0x17),
    COM_STMT_SEND_LONG_DATA(0x18),
    COM_STMT_CLOSE(0x19),
    COM_STMT_RESET(0x1A),
    COM_SET_OPTION(0x1B),
    COM_STMT_FETCH(0x1C),
    COM_RESET_CONNECTION(0x1F),
    /** Any other byte, or an empty packet. */
    UNSUPPORTED(-1);

    private static final MySqlCommandType[] BY_BYTE = new MySqlCommandType[256];

    static {
        java.util.Arrays.fill(BY_BYTE, UNSUPPORTED);
        for (MySqlCommandType t : values()) {
            if (t.value >= 0) {
                BY_BYTE[t.value] = t;
            }
        }
    }

    private final int value;

    MySqlCommandType(int value) {
        this.value = value;
    }

    /** The command byte, -1 for {@link #UNSUPPORTED}. */
    public int value() {
        return value;
    }

    /** The type of a command byte (0..255). */
    public static MySqlCommandType of(int b) {
        return b < 0 || b > 255 ? UNSUPPORTED : BY_BYTE[b];
    }
}
