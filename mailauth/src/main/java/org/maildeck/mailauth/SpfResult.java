package org.maildeck.mailauth;

import java.util.Locale;

/**
 * The outcome of one SPF check (RFC 7208 2.6): {@code result} is one of pass, fail, softfail,
 * neutral, none, temperror, permerror; {@code identity} is what was checked, the MAIL FROM
 * address or, for the null sender, {@code postmaster@} the HELO name (RFC 7208 2.4);
 * {@code heloChecked} says which.
 */
public record SpfResult(String result, String identity, boolean heloChecked, String explanation) {

    /** The Authentication-Results method result (RFC 8601 2.7.2), e.g. {@code spf=pass smtp.mailfrom=alice@example.com}. */
    public String resinfo() {
        return "spf=" + result + (heloChecked ? " smtp.helo=" + identity.substring(identity.indexOf('@') + 1) : " smtp.mailfrom=" + identity);
    }

    boolean is(String wanted) {
        return result.equals(wanted.toLowerCase(Locale.ROOT));
    }
}
