package org.maildeck.mailets.sieve;

import java.util.Set;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.Redirect;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.ActionRedirect;
import org.apache.jsieve.mail.MailAdapter;

/**
 * jSieve's {@code redirect} with RFC 3894's {@code :copy} (the implicit keep is not cancelled),
 * and at most {@value #MAX_REDIRECTS} redirects per run (Pigeonhole's {@code sieve_max_redirects}):
 * one script must not turn one mail into thousands.
 */
public class RedirectCommand extends Redirect {

    static final int MAX_REDIRECTS = 4;

    @Override
    public Object execute(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        ActionTags tags = ActionTags.parse(arguments, context, Set.of(":copy"));
        if (mail.getActions().stream().filter(ActionRedirect.class::isInstance).count() >= MAX_REDIRECTS) {
            throw context.getCoordinate().commandException("more than " + MAX_REDIRECTS + " redirects");
        }
        return tags.run(context, rest -> super.execute(mail, rest, block, context));
    }
}
