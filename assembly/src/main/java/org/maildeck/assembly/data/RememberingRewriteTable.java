package org.maildeck.assembly.data;

import org.apache.james.core.Domain;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;

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

    private record Address(String user, Domain domain) {
    }

    private final RememberedAnswers<Address, Mappings> mappings = new RememberedAnswers<>(10_000);

    @Override
    protected Mappings mapAddress(String user, Domain domain) throws RecipientRewriteTableException {
        return mappings.answer(new Address(user, domain), address -> super.mapAddress(address.user(), address.domain()));
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
