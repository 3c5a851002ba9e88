package io.comet.cometql;

/**
 * What a metrics registry learns from CometQL without the module depending on one (comet-server
 * binds it to Micrometer): every statement's table, kind and result code, on both doors (the
 * MySQL port and {@code POST /cometql}). Called on event loops and store threads: must not block.
 */
@FunctionalInterface
public interface QueryObserver {

    /** Observes nothing. */
    QueryObserver NONE = (table, kind, code) -> {
    };

    /**
     * One statement ran.
     *
     * @param table the virtual table ({@code pipes_messages}, …), or {@code "-"} for statements
     *              without one ({@code SHOW}, {@code SET}, …) and for queries that did not parse
     * @param kind  {@code select}, {@code insert}, {@code delete}, {@code show}, {@code set},
     *              {@code other}, or {@code parse} when the query did not parse or was too long
     * @param code  0 on success, else the CometQL error code (cometql.md §4)
     */
    void query(String table, String kind, int code);
}
