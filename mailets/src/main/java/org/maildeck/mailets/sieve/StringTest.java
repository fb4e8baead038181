package org.maildeck.mailets.sieve;

import java.util.List;

import org.apache.jsieve.mail.MailAdapter;

/**
 * RFC 5229's {@code string} test: its source strings (expanded, like every string) compared
 * with the keys; {@code :count} counts the strings that are not empty.
 */
public final class StringTest extends ComparingTest {

    public StringTest() {
        super(false);
    }

    @Override
    List<String> values(MailAdapter mail, ComparingArguments how) {
        return how.counts() ? how.sources().stream().filter(source -> !source.isEmpty()).toList() : how.sources();
    }
}
