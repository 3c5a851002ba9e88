package io.comet.core.engine;

import io.comet.core.Message;
import io.comet.core.Rules;
import io.comet.core.Session;
import io.comet.core.WebPublishResult;
import io.comet.core.broker.Broker;
import io.comet.core.broker.Publication;
import io.comet.core.context.EngineContext;
import io.comet.core.history.HistorySettings;
import io.comet.core.json.Json;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing to pipes from the backend ({@code INSERT INTO pipes_messages}, docs/cometql.md §3.1)
 * and from browsers ({@code web_pipe2}, docs/client-protocol.md §2.4): rules, then the broker,
 * which stores history (durably, with a position) before anyone receives the message.
 */
final class Publishing {

    private static final Logger log = LoggerFactory.getLogger("io.comet.core.engine");

    private final EngineContext ctx;
    private final Broker broker;
    private final HistorySettings settings;

    Publishing(EngineContext ctx, Broker broker, HistorySettings settings) {
        this.ctx = ctx;
        this.broker = broker;
        this.settings = settings;
    }

    CompletableFuture<Publication> publish(int devId, String pipe, String event, String text) {
        Rules rules = ctx.rules();
        rules.checkDev(devId);
        rules.checkPipe(pipe, Rules.PipeUse.PUBLISH);
        rules.checkEvent(event);
        rules.checkText(text);
        ctx.stats().published();
        Message m = Message.pipe(pipe, event, text, ctx.nowSeconds());
        return counted(broker.publish(devId, pipe, m, settings.keep(devId, pipe), 0), devId, pipe);
    }

    CompletableFuture<WebPublishResult> webPublish(Session sender, String pipeSpec, String event, String text) {
        Rules.WebPipe target = ctx.rules().checkWebPublish(sender, pipeSpec, event);
        ctx.rules().checkText(text);
        String pipe = target.pipe();
        long uid = target.anonymous() ? 0 : sender.userId();
        long now = ctx.nowSeconds();
        ctx.stats().published();
        Message m = Message.of(pipe, event, text, uid, null, now, false, null);
        return counted(broker.publish(sender.devId(), pipe, m, settings.keep(sender.devId(), pipe), sender.id()),
                sender.devId(), pipe).handle((p, err) -> {
                    int n = err == null ? p.delivered() : -1;
                    sender.send(err == null
                            ? Message.of("_answer_to_" + pipe, "answer", Json.object("message", text, "number_messages", n),
                                    null, null, now, false, null)
                            : Message.error(now, "The message could not be stored", "number_messages", -1));
                    return new WebPublishResult(pipe, n);
                });
    }

    private CompletableFuture<Publication> counted(CompletableFuture<Publication> f, int devId, String pipe) {
        return f.whenComplete((p, err) -> {
            if (err != null) {
                ctx.stats().historyWriteFailed();
                log.warn("publish to pipe {} (dev {}) refused, its history could not be written: {}", pipe, devId,
                        err.toString());
            }
        });
    }
}
