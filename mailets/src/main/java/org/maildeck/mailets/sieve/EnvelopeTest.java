package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.mail.optional.EnvelopeAccessors;

/** {@code envelope}: the chosen part of the envelope's {@code from} or {@code to}. */
public final class EnvelopeTest extends ComparingTest {

    public EnvelopeTest() {
        super(true);
    }

    @Override
    List<String> values(MailAdapter mail, ComparingArguments how) throws SieveException {
        List<String> values = new ArrayList<>();
        for (String name : how.sources()) {
            for (String address : ((EnvelopeAccessors) mail).getMatchingEnvelope(name)) {
                how.addressPart().ofEnvelope(address, delimiters(mail)).ifPresent(values::add);
            }
        }
        return values;
    }
}
