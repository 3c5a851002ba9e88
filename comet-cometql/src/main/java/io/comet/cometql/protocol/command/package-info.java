/**
 * One executor per COM_* command, chosen by the single switch of
 * {@link io.comet.cometql.protocol.command.MySqlCommandExecutorFactory}; anything unknown is
 * answered with an ERR (cometql.md §1.6).
 */
package io.comet.cometql.protocol.command;
