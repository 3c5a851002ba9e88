package io.comet.cometql.protocol.command;

import java.util.concurrent.CompletableFuture;

/** Executes one COM_* command; the response is written when the future completes. */
public interface CommandExecutor {

    /** Runs the command; never fails (errors are ERR packets in the response). */
    CompletableFuture<CommandResponse> execute();
}
