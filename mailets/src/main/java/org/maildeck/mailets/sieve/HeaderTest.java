package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.util.MimeUtil;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/** {@code header}: each field of the named headers, unfolded as jSieve unfolds it. */
public final class HeaderTest extends ComparingTest {

    public HeaderTest() {
        super(false);
    }

    @Override
    List<String> values(MailAdapter mail, ComparingArguments how) throws SieveException {
        List<String> values = new ArrayList<>();
        for (String name : how.sources()) {
            for (String value : mail.getMatchingHeader(name)) {
                values.add(MimeUtil.unscrambleHeaderValue(value));
            }
        }
        return values;
    }
}
