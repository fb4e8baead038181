package org.maildeck.mailets.sieve;

import java.nio.file.Path;
import java.time.ZonedDateTime;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.transport.mailets.jsieve.ActionDispatcher;
import org.apache.james.transport.mailets.jsieve.Poster;
import org.apache.james.transport.mailets.jsieve.SieveMailAdapter;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * James's view of the mail for one recipient's script, with what Maildeck's actions need:
 * that recipient as the envelope's {@code to} (James's adapter names the mail's first recipient,
 * whoever's script runs), the recipient's user and home (for the vacation memory) and the
 * run's {@code imap4flags}.
 */
final class RecipientMailAdapter extends SieveMailAdapter {

    private final MailAddress recipient;
    private final Username user;
    private final Path home;
    private final SieveFlags flags = new SieveFlags();

    RecipientMailAdapter(Mail mail, MailetContext context, ActionDispatcher dispatcher, Poster poster,
                         ZonedDateTime activated, ZonedDateTime interpreted, MailAddress recipient, Username user, Path home) {
        super(mail, context, dispatcher, poster, activated, interpreted, recipient);
        this.recipient = recipient;
        this.user = user;
        this.home = home;
    }

    @Override
    public String getEnvelopeTo() {
        return recipient.asString();
    }

    Path home() {
        return home;
    }

    Username user() {
        return user;
    }

    /** The run's {@code imap4flags} internal variable. */
    SieveFlags flags() {
        return flags;
    }
}
