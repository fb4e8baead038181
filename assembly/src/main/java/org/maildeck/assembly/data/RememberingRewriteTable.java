package org.maildeck.assembly.data;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * The aliases, forwards and other rewrites in Derby, with the mappings of each address
 * remembered until a mapping is added or removed.
 *
 * <p>Why: every recipient of every message is looked up (the RecipientRewriteTable mailet, and
 * for each hop of a rewrite again), a JPA query each: 4% of the server's CPU in the ingest
 * benchmark. Every mapping change, whatever its kind, ends in {@link #addMapping} or {@link
 * #removeMapping} of this object (WebAdmin in this process; the embedded Derby has no other
 * writer), so forgetting there is exact.
 */
public class RememberingRewriteTable extends JPARecipientRewriteTable {

    private final RememberedAnswers<MappingSource, Mappings> mappings = new RememberedAnswers<>(10_000);
    private UsersRepository users;

    @Inject
    @Override
    public void setUsersRepository(UsersRepository usersRepository) {
        super.setUsersRepository(usersRepository);
        this.users = usersRepository;
    }

    /**
     * JPA's lookup (the address's own mappings, else its domain's), remembered, with one
     * difference: a catch-all (the domain's Address mapping, {@code maildeck alias add @domain
     * TARGET}) never takes the mail of an account. In Postfix an admin must list each account
     * beside a catch-all ({@code user@domain user@domain}); here it is a rule, so that adding a
     * user later cannot silently send its mail elsewhere.
     */
    @Override
    protected Mappings mapAddress(String user, Domain domain) throws RecipientRewriteTableException {
        Mappings own = stored(MappingSource.fromUser(user, domain));
        if (!own.isEmpty()) {
            return own;
        }
        Mappings domainWide = stored(MappingSource.fromDomain(domain));
        if (domainWide.contains(Mapping.Type.Address) && isAccount(Username.fromLocalPartWithDomain(user, domain))) {
            return domainWide.exclude(Mapping.Type.Address);
        }
        return domainWide;
    }

    private Mappings stored(MappingSource source) throws RecipientRewriteTableException {
        return mappings.answer(source, super::getStoredMappings);
    }

    private boolean isAccount(Username username) throws RecipientRewriteTableException {
        try {
            return users.contains(username);
        } catch (UsersRepositoryException e) {
            throw new RecipientRewriteTableException("cannot tell whether " + username.asString() + " is a user", e);
        }
    }

    @Override
    public void addMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        mappings.forgetAfter(() -> super.addMapping(source, mapping));
    }

    @Override
    public void removeMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        mappings.forgetAfter(() -> super.removeMapping(source, mapping));
    }
}
