package org.maildeck.assembly.data;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.JPAUsersRepository;
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
 */
public class RememberingUsersRepository extends JPAUsersRepository {

    /** Dovecot's {@code auth_cache_ttl} and {@code auth_cache_negative_ttl} defaults. */
    static final String DEFAULT_TTL = "1h";
    static final String DEFAULT_NEGATIVE_TTL = "1h";

    private final RememberedAnswers<Username, Boolean> existing = new RememberedAnswers<>(10_000);
    private volatile RememberedLogins logins = new RememberedLogins(Duration.ZERO, Duration.ZERO, Clock.systemUTC());
    private volatile Duration failureDelay = Duration.ZERO;

    @Inject
    public RememberingUsersRepository(RememberingDomainList domainList) {
        super(domainList);
        domainList.whenRemoved(domain -> logins.forget(domain));
    }

    @Override
    public void configure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.configure(configuration);
        logins = new RememberedLogins(duration(configuration, "loginCacheTtl", DEFAULT_TTL),
            duration(configuration, "loginCacheNegativeTtl", DEFAULT_NEGATIVE_TTL), Clock.systemUTC());
        failureDelay = duration(configuration, "verifyFailureDelay", "0s");
    }

    private static Duration duration(HierarchicalConfiguration<ImmutableNode> configuration, String key, String otherwise) {
        return DurationParser.parse(configuration.getString(key, otherwise), ChronoUnit.SECONDS);
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

    @Override
    public void updateUser(User user) throws UsersRepositoryException {
        try {
            super.updateUser(user);
        } finally {
            logins.forget(user.getUserName());
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
