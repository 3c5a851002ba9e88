package io.comet.cometql.table;

import io.comet.core.CometException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from an exception to a CometQL error (cometql.md §4): a
 * {@link CometException} keeps its code and text; anything else is 500 "Internal server error"
 * (logged). Both the MySQL ERR packet and the HTTP JSON answer are built from this.
 *
 * @param code    CometQL error code
 * @param message client-visible text
 */
public record QlError(int code, String message) {

    private static final Logger log = LoggerFactory.getLogger(QlError.class);

    /** Maps {@code t} (unwrapping completion wrappers). */
    public static QlError of(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof CometException) {
            CometException e = (CometException) c;
            return new QlError(e.code(), e.getMessage());
        }
        log.error("CometQL internal error", c);
        return new QlError(500, "Internal server error");
    }
}
