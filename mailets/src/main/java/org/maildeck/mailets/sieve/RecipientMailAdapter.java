package org.maildeck.mailets.sieve;

import java.nio.file.Path;
import java.time.ZonedDateTime;

import org.apache.james.core.MailAddress;
import org.apache.james.transport.mailets.jsieve.ActionDispatcher;
import org.apache.james.transport.mailets.jsieve.Poster;
import org.apache.james.transport.mailets.jsieve.SieveMailAdapter;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * James's view of the mail for one recipient's script, with what Maildeck's actions need:
 * that recipient as the envelope's {@code to} (James's adapter names the mail's first recipient,
 * whoever's script runs) and the recipient's home (for the vacation memory).
 */
final class RecipientMailAdapter extends SieveMailAdapter {

    private final MailAddress recipient;
    private final Path home;

    RecipientMailAdapter(Mail mail, MailetContext context, ActionDispatcher dispatcher, Poster poster,
                         ZonedDateTime activated, ZonedDateTime interpreted, MailAddress recipient, Path home) {
        super(mail, context, dispatcher, poster, activated, interpreted, recipient);
        this.recipient = recipient;
        this.home = home;
    }

    @Override
    public String getEnvelopeTo() {
        return recipient.asString();
    }

    Path home() {
        return home;
    }
}
