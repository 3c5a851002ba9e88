/**
 * CometQL, the backend API of Comet: a MySQL-protocol server ({@link io.comet.cometql.CometQlServer},
 * configured by {@link io.comet.cometql.CometQlConfig}) whose virtual tables are views onto a
 * {@link io.comet.core.engine.CometEngine}. Spec: {@code docs/cometql.md}. Sub-packages:
 * {@code protocol} (MySQL wire protocol), {@code sql} (parser), {@code table} (tables and the
 * executor both doors share), {@code http} (CometQL over HTTP).
 */
package io.comet.cometql;
