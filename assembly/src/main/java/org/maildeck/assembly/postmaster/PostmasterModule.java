package org.maildeck.assembly.postmaster;

import org.apache.james.smtpserver.fastfail.ValidRcptHandler;
import org.apache.james.utils.GuiceProbe;
import org.maildeck.mailets.smtpd.KnownRecipients;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * The postmaster of every local domain (RFC 5321 4.5.1): taken at RCPT by every listener that
 * checks recipients, James's {@code ValidRcptHandler} being {@link KnownRecipients} here (in
 * smtpserver.xml and in LMTP's built-in command set alike), and checked at start-up for an
 * address to go to ({@link PostmasterCheck}).
 */
public class PostmasterModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ValidRcptHandler.class).to(KnownRecipients.class);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(PostmasterCheck.class);
    }
}
