package org.maildeck.antivirus;

import java.io.IOException;

/** clamd could not give a verdict: not reachable, too slow, or an answer we do not understand. */
public class ClamdException extends IOException {

    public enum Kind {
        /** Connection refused, no such socket, connection lost. */
        UNREACHABLE,
        /** No connection or no answer within the configured time. */
        TIMEOUT,
        /** clamd answered something that is not a verdict (e.g. an ERROR line). */
        PROTOCOL
    }

    private final Kind kind;

    public ClamdException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ClamdException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
