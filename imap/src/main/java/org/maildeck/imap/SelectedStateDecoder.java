package org.maildeck.imap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.decode.ImapRequestLineReader;

/**
 * Decodes the commands of a logged-in session as if a mailbox were selected, and leaves the
 * state check to the moment the command runs.
 *
 * <p>James 3.8.1's parsers refuse a command that is not valid in the session's state while its
 * line is read ({@code AbstractImapCommandParser.parse}, final). A client that pipelines
 * {@code a SELECT INBOX} and {@code b FETCH 1 FLAGS} in one write has {@code b} read while
 * {@code a} has not run yet, in the authenticated state, and got {@code b NO Command not valid in
 * this state}; Dovecot answers it with the data. The commands valid when authenticated are all
 * valid when selected (RFC 9051 §6.3), so parsing as if selected refuses nothing it should
 * accept. Whether the command may run is decided when it runs, in turn after the commands before
 * it ({@link InTurnImapProcessor}), by James's processors ({@code AbstractMailboxProcessor}
 * checks the state again and answers the same NO): a FETCH behind a SELECT that failed is still
 * refused. Before login nothing changes (a command pipelined behind LOGIN is refused as before,
 * and an unknown one still ends the connection). James's parsers read no selected mailbox while
 * decoding. Upstream: James checks the state at execution since the IMAP execution rework after
 * 3.8.1 (apache/james-project #2090, #2126).
 */
public final class SelectedStateDecoder implements ImapDecoder {

    private static final Method GET_STATE = getStateMethod();

    private final ImapDecoder james;

    public SelectedStateDecoder(ImapDecoder james) {
        this.james = james;
    }

    @Override
    public ImapMessage decode(ImapRequestLineReader request, ImapSession session) {
        if (session.getState() != ImapSessionState.AUTHENTICATED) {
            return james.decode(request, session);
        }
        return james.decode(request, asIfSelected(session));
    }

    private static ImapSession asIfSelected(ImapSession session) {
        return (ImapSession) Proxy.newProxyInstance(ImapSession.class.getClassLoader(), new Class<?>[] {ImapSession.class},
            (proxy, method, args) -> {
                if (method.equals(GET_STATE)) {
                    return ImapSessionState.SELECTED;
                }
                try {
                    return method.invoke(session, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    private static Method getStateMethod() {
        try {
            return ImapSession.class.getMethod("getState");
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("James's ImapSession has no getState()", e);
        }
    }
}
