package org.maildeck.mailets.sieve;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.AbstractCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/**
 * An extension's name in {@code require} ({@code "imap4flags"}, {@code "relational"},
 * {@code "copy"}...) for an extension that adds no command or test of that name: jSieve's
 * {@code require} accepts a name only as a command or a test, so the name is registered as this
 * command, which refuses to be used as one.
 */
public final class RequiredName extends AbstractCommand {

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        throw context.getCoordinate().syntaxException("an extension's name, not a command");
    }
}
