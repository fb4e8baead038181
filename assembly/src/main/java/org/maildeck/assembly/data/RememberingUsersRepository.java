package org.maildeck.assembly.data;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import java.util.Optional;

import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.PersistenceException;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.user.jpa.model.JPAUser;
import org.apache.james.util.DurationParser;

/**
 * The users in Derby, with each answer to "is there such a user?" remembered until a user is
 * added or removed, and password verifications remembered as {@link RememberedLogins} says.
 *
 * <p>Why: a message asks "is there such a user?" several times (at RCPT the valid-recipient and
 * quota hooks, in the mailet chain every {@code RecipientIsLocal}), each a JPA query: 8% of the
 * server's CPU in the ingest benchmark; and a login costs a PBKDF2 verification. Users are added,
 * changed and removed through this object only (WebAdmin in this process; the embedded Derby
 * has no other writer), so forgetting on each change is exact. Every login of SMTP AUTH, IMAP,
 * POP3 and ManageSieve comes through {@link #test}.
 *
 * <p>A new password is hashed with the algorithm configured now: James's password change (WebAdmin,
 * JMX: {@code getUserByName}, {@code setPassword}, {@code updateUser}) hashed it with the
 * account's old parameters, so a changed {@code algorithm} reached only re-created accounts.
 *
 * <p>Subaddresses: the user of {@code local+tag@domain} is {@code local@domain} when no user has
 * the full address and the base one exists ({@code recipientDelimiter}, Postfix's and Dovecot's
 * {@code recipient_delimiter}). Deciding it here, where every "whose mailbox is this address?"
 * is answered, gives the same answer to the RCPT checks of every listener (valid recipient,
 * quota), to {@code RecipientIsLocal}, to Sieve and to the Maildir delivery, while the mail keeps
 * its envelope recipient with the tag (for Sieve's {@code envelope} test and {@code Delivered-To:}).
 */
public class RememberingUsersRepository extends JPAUsersRepository {

    /** Dovecot's {@code auth_cache_ttl} and {@code auth_cache_negative_ttl} defaults. */
    static final String DEFAULT_TTL = "1h";
    static final String DEFAULT_NEGATIVE_TTL = "1h";

    private final RememberedAnswers<Username, Boolean> existing = new RememberedAnswers<>(10_000);
    private volatile RememberedLogins logins = new RememberedLogins(Duration.ZERO, Duration.ZERO, Clock.systemUTC());
    private volatile Duration failureDelay = Duration.ZERO;
    private volatile String algorithm;
    private volatile RecipientDelimiter delimiter = new RecipientDelimiter(RecipientDelimiter.DEFAULT);
    private final EntityManagerFactory entityManagerFactory;

    @Inject
    public RememberingUsersRepository(RememberingDomainList domainList, EntityManagerFactory entityManagerFactory) {
        super(domainList);
        this.entityManagerFactory = entityManagerFactory;
        domainList.whenRemoved(domain -> logins.forget(domain));
    }

    @Override
    public void configure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.configure(configuration);
        logins = new RememberedLogins(duration(configuration, "loginCacheTtl", DEFAULT_TTL),
            duration(configuration, "loginCacheNegativeTtl", DEFAULT_NEGATIVE_TTL), Clock.systemUTC());
        failureDelay = duration(configuration, "verifyFailureDelay", "0s");
        algorithm = configuration.getString("algorithm", null);
        delimiter = new RecipientDelimiter(configuration.getString("recipientDelimiter", RecipientDelimiter.DEFAULT));
    }

    private static Duration duration(HierarchicalConfiguration<ImmutableNode> configuration, String key, String otherwise) {
        return DurationParser.parse(configuration.getString(key, otherwise), ChronoUnit.SECONDS);
    }

    /** The user the address names exactly, else the user of its base address {@code local@domain} if there is one. */
    @Override
    public Username getUsername(MailAddress address) throws UsersRepositoryException {
        Username exact = super.getUsername(address);
        if (contains(exact)) {
            return exact;
        }
        Optional<MailAddress> base = delimiter.base(address);
        if (base.isPresent()) {
            Username baseUser = super.getUsername(base.get());
            if (contains(baseUser)) {
                return baseUser;
            }
        }
        return exact;
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return existing.answer(name, super::contains);
    }

    /**
     * A failure remembered is answered after the same delay as one verified (James sleeps
     * {@code verifyFailureDelay} inside {@code super.test}), so a guesser learns nothing
     * from the timing and is slowed down alike.
     */
    @Override
    public boolean test(Username name, String password) throws UsersRepositoryException {
        boolean[] verifiedNow = {false};
        boolean verified = logins.test(name, password, () -> {
            verifiedNow[0] = true;
            return super.test(name, password);
        });
        if (!verified && !verifiedNow[0]) {
            sleep(failureDelay);
        }
        return verified;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void addUser(Username username, String password) throws UsersRepositoryException {
        try {
            existing.forgetAfter(() -> super.addUser(username, password));
        } finally {
            logins.forget(username);
        }
    }

    /** The account, with a password change that {@link #updateUser} hashes with the configured algorithm. */
    @Override
    public User getUserByName(Username name) throws UsersRepositoryException {
        User user = super.getUserByName(name);
        return user == null || algorithm == null ? user : new PasswordChange(user);
    }

    @Override
    public void updateUser(User user) throws UsersRepositoryException {
        try {
            if (user instanceof PasswordChange change) {
                if (change.newPassword != null) {
                    replacePassword(change.getUserName(), change.newPassword);
                }
            } else {
                super.updateUser(user);
            }
        } finally {
            logins.forget(user.getUserName());
        }
    }

    /**
     * Writes the account again with {@code password} hashed by the configured algorithm, in one
     * transaction: James's entity keeps the algorithm it was created with and offers no way to
     * change it, so the row is removed and persisted anew, never leaving the account missing.
     */
    private void replacePassword(Username name, String password) throws UsersRepositoryException {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        EntityTransaction transaction = entityManager.getTransaction();
        try {
            transaction.begin();
            JPAUser stored = entityManager.find(JPAUser.class, name.asString());
            if (stored == null) {
                throw new UsersRepositoryException("no user " + name.asString());
            }
            entityManager.remove(stored);
            entityManager.flush();
            entityManager.persist(new JPAUser(name.asString(), password, algorithm));
            transaction.commit();
        } catch (PersistenceException e) {
            throw new UsersRepositoryException("could not change the password of " + name.asString(), e);
        } finally {
            if (transaction.isActive()) {
                transaction.rollback();
            }
            entityManager.close();
        }
    }

    /** An account whose {@code setPassword} is kept for {@link #updateUser} instead of hashed with the old parameters. */
    private static final class PasswordChange implements User {
        private final User stored;
        private String newPassword;

        PasswordChange(User stored) {
            this.stored = stored;
        }

        @Override
        public Username getUserName() {
            return stored.getUserName();
        }

        @Override
        public boolean setPassword(String password) {
            newPassword = password;
            return true;
        }

        @Override
        public boolean verifyPassword(String password) {
            return newPassword == null ? stored.verifyPassword(password) : newPassword.equals(password);
        }
    }

    @Override
    public void removeUser(Username name) throws UsersRepositoryException {
        try {
            existing.forgetAfter(() -> super.removeUser(name));
        } finally {
            logins.forget(name);
        }
    }
}
