package org.maildeck.assembly.smtp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.utils.GuiceProtocolHandlerLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;

/**
 * Loads the SMTP and LMTP handlers named in smtpserver.xml and lmtpserver.xml, and still
 * accepts the names they had before the hooks moved from {@code org.maildeck.mailets.smtp} to
 * {@code org.maildeck.mailets.smtpd}: an admin's edited smtpserver.xml is a conffile the
 * package upgrade leaves alone, and a server that refused to start over a package name would
 * be a worse upgrade than a warning. Each old name is reported once, with its new spelling.
 */
public final class RenamedHandlerLoader implements ProtocolHandlerLoader {
    static final String OLD_PACKAGE = "org.maildeck.mailets.smtp.";
    static final String NEW_PACKAGE = "org.maildeck.mailets.smtpd.";
    private static final Logger LOGGER = LoggerFactory.getLogger(RenamedHandlerLoader.class);

    private final ProtocolHandlerLoader james;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Inject
    RenamedHandlerLoader(GuiceProtocolHandlerLoader james) {
        this.james = james;
    }

    @Override
    public ProtocolHandler load(String name, Configuration config) throws LoadingException {
        return james.load(currentName(name), config);
    }

    String currentName(String name) {
        if (!name.startsWith(OLD_PACKAGE)) {
            return name;
        }
        String renamed = NEW_PACKAGE + name.substring(OLD_PACKAGE.length());
        if (reported.add(name)) {
            LOGGER.warn("{} is now called {}: the old name still works, update the configuration file that names it",
                name, renamed);
        }
        return renamed;
    }

    /** Replaces James's {@code ProtocolHandlerModule}. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(ProtocolHandlerLoader.class).to(RenamedHandlerLoader.class);
        }
    }
}
