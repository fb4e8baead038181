package org.maildeck.assembly.mailbox;

import javax.inject.Inject;

import org.apache.james.adapter.mailbox.UserRepositoryAuthenticator;
import org.apache.james.core.Username;
import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.exception.MailboxException;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the password against the users repository, and refuses an account whose name cannot
 * be a Maildir ({@code a/b@example.org}, {@code ..@example.org}: WebAdmin accepts such names).
 * Refused here, the login fails cleanly; later, the session would be logged in without a mailbox.
 */
public final class MaildirOwnerAuthenticator implements Authenticator {

    private static final Logger LOGGER = LoggerFactory.getLogger(MaildirOwnerAuthenticator.class);

    private final UserRepositoryAuthenticator passwords;
    private final MaildirStore store;

    @Inject
    public MaildirOwnerAuthenticator(UserRepositoryAuthenticator passwords, MaildirStore store) {
        this.passwords = passwords;
        this.store = store;
    }

    @Override
    public boolean isAuthentic(Username user, CharSequence password) throws MailboxException {
        if (!passwords.isAuthentic(user, password)) {
            return false;
        }
        try {
            store.userMaildir(user.asString());
            return true;
        } catch (MaildirLayout.InvalidNameException e) {
            LOGGER.warn("login refused for {}: {}", user.asString(), e.getMessage());
            return false;
        }
    }
}
