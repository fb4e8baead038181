package org.maildeck.assembly.postmaster;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;
import org.apache.mailet.MailetContext;
import org.maildeck.mailets.PostmasterAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, a warning when mail for the postmaster has nowhere to go (no address
 * {@link PostmasterAddress} could send it to): such mail is accepted, as RFC 5321 requires, and
 * then kept in the error repository, where nobody reads it unless told.
 */
public class PostmasterCheck implements GuiceProbe {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");

    private final PostmasterAddress postmaster;
    private final MailetContext context;

    @Inject
    PostmasterCheck(PostmasterAddress postmaster, MailetContext context) {
        this.postmaster = postmaster;
        this.context = context;
    }

    public void warnIfNowhereToGo() {
        String configured = context.getPostmaster().asString();
        try {
            if (postmaster.target(context.getPostmaster()).isEmpty()) {
                LOGGER.warn("warning: mail for the postmaster has nowhere to go: no user or alias {} (<postmaster> in mailetcontainer.xml), "
                    + "root@ the default domain, or postmaster@ a local domain; it is kept in var/mail/error. "
                    + "Add one: maildeck alias add {} you@example.org", configured, configured);
            }
        } catch (Exception e) {
            LOGGER.warn("warning: cannot tell where mail for the postmaster goes: {}", e.getMessage());
        }
    }
}
