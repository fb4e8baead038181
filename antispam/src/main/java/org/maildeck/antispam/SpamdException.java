package org.maildeck.antispam;

import org.maildeck.localdaemon.DaemonException;

/** spamd could not answer: not reachable, too slow, or an error code or something unreadable. */
public class SpamdException extends DaemonException {

    public SpamdException(Kind kind, String message) {
        super(kind, message);
    }

    public SpamdException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
