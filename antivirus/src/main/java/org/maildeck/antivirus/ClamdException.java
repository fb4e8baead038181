package org.maildeck.antivirus;

import org.maildeck.localdaemon.DaemonException;

/** clamd could not give a verdict: not reachable, too slow, or an answer that is not a verdict (e.g. an ERROR line). */
public class ClamdException extends DaemonException {

    public ClamdException(Kind kind, String message) {
        super(kind, message);
    }

    public ClamdException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
