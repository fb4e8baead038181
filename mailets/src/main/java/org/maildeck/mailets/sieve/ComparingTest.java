package org.maildeck.mailets.sieve;

import java.util.List;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.tests.AbstractTest;

/**
 * A test that compares the values it takes from the mail with keys ({@link ComparingArguments},
 * {@link KeyMatch}); the subclass says where the values come from. Replaces jSieve's
 * {@code header}, {@code address} and {@code envelope}, whose argument parsing refuses the tags
 * of {@code relational} and {@code subaddress}.
 */
abstract class ComparingTest extends AbstractTest {

    private final boolean addressParts;

    ComparingTest(boolean addressParts) {
        this.addressParts = addressParts;
    }

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) throws SieveException {
        ComparingArguments.parse(arguments, context, addressParts);
    }

    @Override
    protected boolean executeBasic(MailAdapter mail, Arguments arguments, SieveContext context) throws SieveException {
        ComparingArguments how = ComparingArguments.parse(arguments, context, addressParts);
        return KeyMatch.any(mail, context, how, values(mail, how));
    }

    /** The values named by the test's sources, as many as {@code :count} counts. */
    abstract List<String> values(MailAdapter mail, ComparingArguments how) throws SieveException;

    static String delimiters(MailAdapter mail) {
        return mail instanceof RecipientMailAdapter run ? run.recipientDelimiters() : "+";
    }
}
