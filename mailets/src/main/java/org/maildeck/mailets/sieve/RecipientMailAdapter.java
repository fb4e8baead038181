package org.maildeck.mailets.sieve;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.function.Predicate;

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
 * whoever's script runs), the recipient's user and home (for the vacation memory), and the
 * run's state: its {@code imap4flags}, the folders it keeps and files into, its variables.
 */
final class RecipientMailAdapter extends SieveMailAdapter {

    private final MailAddress recipient;
    private final Username user;
    private final Path home;
    private final String recipientDelimiters;
    private final Predicate<String> folderExists;
    private final SieveFlags flags = new SieveFlags();
    private final SieveFolders folders = new SieveFolders();
    private final SieveVariables variables = new SieveVariables();
    private final MatchBudget matchBudget = MatchBudget.forRun();

    RecipientMailAdapter(Mail mail, MailetContext context, ActionDispatcher dispatcher, Poster poster,
                         ZonedDateTime activated, ZonedDateTime interpreted, MailAddress recipient, Username user, Path home,
                         String recipientDelimiters, Predicate<String> folderExists) {
        super(mail, context, dispatcher, poster, activated, interpreted, recipient);
        this.recipient = recipient;
        this.user = user;
        this.home = home;
        this.recipientDelimiters = recipientDelimiters;
        this.folderExists = folderExists;
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

    /** Where the run keeps and files the recipient's copies. */
    SieveFolders folders() {
        return folders;
    }

    /** The run's {@code variables}. */
    SieveVariables variables() {
        return variables;
    }

    /** The steps the run's {@code :matches} may still take. */
    MatchBudget matchBudget() {
        return matchBudget;
    }

    /** The characters that separate a user from a detail ({@code subaddress}). */
    String recipientDelimiters() {
        return recipientDelimiters;
    }

    /** Whether the user has this folder ({@code mailboxexists}). */
    boolean folderExists(String folder) {
        return folderExists.test(folder);
    }

    /** What the run kept and filed, put on the mail for the delivery. */
    void applyFolders() {
        folders.applyTo(getMail(), recipient, user, flags);
    }
}
