package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/** {@code address}: the chosen part of each address in the named headers. */
public final class AddressTest extends ComparingTest {

    public AddressTest() {
        super(true);
    }

    @Override
    List<String> values(MailAdapter mail, ComparingArguments how) throws SieveException {
        List<String> values = new ArrayList<>();
        for (String name : how.sources()) {
            for (MailAdapter.Address address : mail.parseAddresses(name)) {
                how.addressPart().of(address.getLocalPart(), address.getDomain(), delimiters(mail)).ifPresent(values::add);
            }
        }
        return values;
    }
}
