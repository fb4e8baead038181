package org.maildeck.mailets.sieve;

import java.util.List;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.tests.AbstractTest;

/** RFC 5490's {@code mailboxexists}: true when each named folder is a folder of the recipient's Maildir. */
public final class MailboxExistsTest extends AbstractTest {

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) throws SieveException {
        List<?> all = arguments.getArgumentList();
        if (all.size() != 1 || !(all.get(0) instanceof StringListArgument) || arguments.hasTests()) {
            throw context.getCoordinate().syntaxException("mailboxexists expects a list of folder names");
        }
    }

    @Override
    protected boolean executeBasic(MailAdapter mail, Arguments arguments, SieveContext context) {
        RecipientMailAdapter run = (RecipientMailAdapter) mail;
        return ((StringListArgument) arguments.getArgumentList().get(0)).getList().stream().allMatch(run::folderExists);
    }
}
