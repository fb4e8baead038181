package org.maildeck.imap;

import java.util.Map;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.MailboxType;
import org.apache.james.imap.api.process.MailboxTyper;
import org.apache.james.mailbox.model.MailboxPath;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/**
 * SPECIAL-USE attributes (RFC 6154) for the folders every Maildeck user gets, named as Dovecot
 * names them: Sent, Drafts, Trash, Junk (and Archive). James's own typer knows "Spam" but not
 * "Junk"; "Spam" keeps its \Junk for folders James created.
 */
public final class SpecialUseFolders implements MailboxTyper {

    private static final Map<String, MailboxType> BY_NAME = Map.of(
        "INBOX", MailboxType.INBOX,
        "Sent", MailboxType.SENT,
        "Drafts", MailboxType.DRAFTS,
        "Trash", MailboxType.TRASH,
        "Junk", MailboxType.SPAM,
        "Spam", MailboxType.SPAM,
        "Archive", MailboxType.ARCHIVE);

    @Override
    public MailboxType getMailboxType(ImapSession session, MailboxPath path) {
        if (path.isInbox()) {
            return MailboxType.INBOX;
        }
        return BY_NAME.getOrDefault(path.getName(), MailboxType.OTHER);
    }

    /** Overrides the typer of James's IMAP module. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(MailboxTyper.class).to(SpecialUseFolders.class);
            bind(SpecialUseFolders.class).in(Scopes.SINGLETON);
        }
    }
}
