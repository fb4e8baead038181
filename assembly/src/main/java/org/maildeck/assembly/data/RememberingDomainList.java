package org.maildeck.assembly.data;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.Domain;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.domainlist.jpa.JPADomainList;

/**
 * The domain list in Derby, with each answer to "is this domain local?" remembered until the
 * list changes.
 *
 * <p>Why: a message asks it half a dozen times (at RCPT the valid-recipient and relay hooks, in
 * the mailet chain every {@code RecipientIsLocal} and {@code HostIsLocal}), each a JPA query:
 * an eighth of the server's CPU in the ingest benchmark. James's own read cache is no use here:
 * it forgets nothing before it expires, so a domain just added would be refused meanwhile.
 * Every change goes through this object (the admin CLI talks to WebAdmin in this process, and
 * the embedded Derby has no other writer), so forgetting on each change is exact.
 */
public class RememberingDomainList extends JPADomainList {

    private final RememberedAnswers<Domain, Boolean> local = new RememberedAnswers<>(1000);
    /** Told of each removal: the remembered logins of the domain's users must go with it. */
    private final List<Consumer<Domain>> removalListeners = new CopyOnWriteArrayList<>();

    @Inject
    public RememberingDomainList(DNSService dns, EntityManagerFactory entityManagerFactory) {
        super(dns, entityManagerFactory);
    }

    @Override
    protected boolean containsDomainInternal(Domain domain) throws DomainListException {
        return local.answer(domain, super::containsDomainInternal);
    }

    @Override
    public void addDomain(Domain domain) throws DomainListException {
        local.forgetAfter(() -> super.addDomain(domain));
    }

    @Override
    public void doRemoveDomain(Domain domain) throws DomainListException {
        try {
            local.forgetAfter(() -> super.doRemoveDomain(domain));
        } finally {
            removalListeners.forEach(listener -> listener.accept(domain));
        }
    }

    /** Calls {@code listener} after each removal of a domain (whether the database change succeeded or not). */
    void whenRemoved(Consumer<Domain> listener) {
        removalListeners.add(listener);
    }
}
