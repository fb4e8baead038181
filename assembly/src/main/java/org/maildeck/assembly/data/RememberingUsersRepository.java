package org.maildeck.assembly.data;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.jpa.JPAUsersRepository;

/**
 * The users in Derby, with each answer to "is there such a user?" remembered until a user is
 * added or removed.
 *
 * <p>Why: a message asks it several times (at RCPT the valid-recipient and quota hooks, in the
 * mailet chain every {@code RecipientIsLocal}), each a JPA query: 8% of the server's CPU in the
 * ingest benchmark. Users are added and removed through this object only (WebAdmin in this
 * process; the embedded Derby has no other writer), so forgetting on each change is exact.
 * Passwords are not remembered: a login still reads Derby.
 */
public class RememberingUsersRepository extends JPAUsersRepository {

    private final RememberedAnswers<Username, Boolean> existing = new RememberedAnswers<>(10_000);

    @Inject
    public RememberingUsersRepository(DomainList domainList) {
        super(domainList);
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return existing.answer(name, super::contains);
    }

    @Override
    public void addUser(Username username, String password) throws UsersRepositoryException {
        existing.forgetAfter(() -> super.addUser(username, password));
    }

    @Override
    public void removeUser(Username name) throws UsersRepositoryException {
        existing.forgetAfter(() -> super.removeUser(name));
    }
}
