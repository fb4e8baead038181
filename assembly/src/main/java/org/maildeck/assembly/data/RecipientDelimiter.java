package org.maildeck.assembly.data;

import java.util.Optional;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

/**
 * The separator between a local part and its extension in {@code user+tag@domain} (Postfix's and
 * Dovecot's {@code recipient_delimiter}): each character of the setting is a delimiter, the first
 * one found in the local part cuts it, and an empty setting turns subaddressing off. Only the
 * base address is computed here; whether {@code user@domain} or the full address is meant is the
 * users repository's decision (the full address wins when it exists, as in Postfix).
 */
public final class RecipientDelimiter {

    /** Postfix's and Dovecot's usual setting. */
    public static final String DEFAULT = "+";

    private final String characters;

    public RecipientDelimiter(String characters) {
        this.characters = characters == null ? "" : characters;
    }

    /** {@code local@domain} for {@code local<delimiter>anything@domain}; empty when there is no delimiter or nothing before it. */
    public Optional<MailAddress> base(MailAddress address) {
        String local = address.getLocalPart();
        int cut = -1;
        for (int i = 0; i < local.length() && cut < 0; i++) {
            if (characters.indexOf(local.charAt(i)) >= 0) {
                cut = i;
            }
        }
        if (cut <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MailAddress(local.substring(0, cut), address.getDomain()));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }
}
