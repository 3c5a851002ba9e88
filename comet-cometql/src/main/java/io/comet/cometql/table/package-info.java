/**
 * The virtual tables of cometql.md §3 and {@link io.comet.cometql.table.CometQlExecutor}, which
 * applies the shared rules of §2.3 and routes statements to tables and system statements. Both
 * doors (MySQL port, HTTP) use it; every table calls {@link io.comet.core.engine.CometEngine}.
 */
package io.comet.cometql.table;
