package org.maildeck.mailets.sieve;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.commands.Require;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/** jSieve's {@code require}, which also turns on the run's {@code ${...}} expansion once {@code "variables"} is required. */
public class RequireCommand extends Require {

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        super.executeBasic(mail, arguments, block, context);
        boolean variables = ((StringListArgument) arguments.getArgumentList().get(0)).getList().stream()
            .anyMatch("variables"::equalsIgnoreCase);
        if (variables) {
            ((RecipientMailAdapter) mail).variables().require();
        }
        return null;
    }
}
