package org.maildeck.console;

import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AddressSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail users as the self-service door sees them: their mail password checked by the same
 * users repository IMAP and SMTP AUTH ask (so the same hashing, and the same remembered logins,
 * forgotten on a password change), and whether an account still exists.
 */
public class MailUsers {

    private static final Logger LOGGER = LoggerFactory.getLogger(MailUsers.class);

    private final UsersRepository users;

    @Inject
    public MailUsers(UsersRepository users) {
        this.users = users;
    }

    /** The account's name when {@code address} is a mail user and {@code password} its password. */
    Optional<String> verify(String address, String password) {
        Optional<Username> user = username(address);
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        try {
            return users.test(user.get(), password) ? Optional.of(user.get().asString()) : Optional.empty();
        } catch (UsersRepositoryException e) {
            LOGGER.warn("console: checking the password of {}: {}", user.get().asString(), e.toString());
            return Optional.empty();
        }
    }

    boolean exists(String name) {
        try {
            return users.contains(Username.of(name));
        } catch (UsersRepositoryException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<Username> username(String address) {
        try {
            return Optional.of(Username.fromMailAddress(AddressSyntax.mailboxOwner(address)));
        } catch (AccountRefused e) {
            return Optional.empty();
        }
    }
}
