package org.maildeck.assembly.pop3;

import java.util.List;

import org.apache.james.pop3server.core.CoreCmdHandlerLoader;
import org.apache.james.pop3server.core.PassCmdHandler;
import org.apache.james.protocols.lib.handler.HandlersPackage;

/**
 * The POP3 command set of Maildeck's listeners ({@code coreHandlersPackage} in pop3server.xml):
 * James's, with {@code PASS} under the login throttle ({@link LoginThrottledPassCmdHandler}).
 */
public class MaildeckPop3Handlers implements HandlersPackage {

    @Override
    public List<String> getHandlers() {
        List<String> james = new CoreCmdHandlerLoader().getHandlers();
        if (!james.contains(PassCmdHandler.class.getName())) {
            // A James whose POP3 no longer uses this PASS handler would leave POP3 unthrottled.
            throw new IllegalStateException("James's POP3 handlers have no " + PassCmdHandler.class.getName() + " to replace: " + james);
        }
        return james.stream()
            .map(handler -> handler.equals(PassCmdHandler.class.getName()) ? LoginThrottledPassCmdHandler.class.getName() : handler)
            .toList();
    }
}
