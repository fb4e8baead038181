package org.maildeck.antispam;

import java.io.IOException;

/** spamd could not answer: not reachable, too slow, or an answer that is not what was asked. */
public class SpamdException extends IOException {

    public enum Kind {
        /** Connection refused or lost. */
        UNREACHABLE,
        /** No connection or no complete answer within the configured time. */
        TIMEOUT,
        /** spamd answered with an error code or something unreadable. */
        PROTOCOL
    }

    private final Kind kind;

    public SpamdException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SpamdException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
