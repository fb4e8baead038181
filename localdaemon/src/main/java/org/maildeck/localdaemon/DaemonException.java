package org.maildeck.localdaemon;

import java.io.IOException;

/** A local daemon could not answer: not reachable, too slow, or an answer that is not what was asked. */
public class DaemonException extends IOException {

    public enum Kind {
        /** Connection refused, no such socket, connection lost. */
        UNREACHABLE,
        /** No connection or no complete answer within the configured time. */
        TIMEOUT,
        /** An error code, or something that is not an answer to what was asked. */
        PROTOCOL
    }

    private final Kind kind;

    public DaemonException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DaemonException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
