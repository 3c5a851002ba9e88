package io.comet.core;

/** The caller is not allowed to do this (e.g. an anonymous publish to {@code webauth_*}). */
public final class AccessDeniedException extends CometException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a client-visible message (code 12 unless given). */
    public AccessDeniedException(ErrorCode code, String message) {
        super(code, message);
    }
}
