package org.maildeck.mailets.sieve;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.commands.optional.Reject;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.ActionReject;
import org.apache.jsieve.mail.MailAdapter;

/**
 * RFC 5429's {@code ereject "reason"}: refuse the mail as the SMTP server would. At delivery
 * the mail was accepted long ago (250 after DATA), so, as RFC 5429 2.1.1 allows, the refusal is a
 * delivery status notice to the sender ({@link BouncedReject}); jSieve's rules for
 * {@code reject} apply (no other action beside it).
 */
public class ERejectCommand extends Reject {

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        mail.addAction(new Refusal(((StringListArgument) arguments.getArgumentList().get(0)).getList().get(0)));
        return null;
    }

    /** The action of {@code ereject}. */
    static final class Refusal extends ActionReject {
        Refusal(String reason) {
            super(reason);
        }
    }
}
