package org.maildeck.assembly.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>Every change goes through this object (the admin CLI talks to WebAdmin in this process, and
 * the embedded Derby has no other writer), so forgetting on each change is exact. An answer read
 * while a change commits must not be remembered after it: the generation, bumped after each
 * change, tells. Unknown domains are remembered too (relay attempts), so the memory is emptied
 * when it grows past {@link #REMEMBERED}.
 */
public class RememberingDomainList extends JPADomainList {

    static final int REMEMBERED = 1000;

    private final Map<Domain, Boolean> answers = new ConcurrentHashMap<>();
    private long generation;

    @Inject
    public RememberingDomainList(DNSService dns, EntityManagerFactory entityManagerFactory) {
        super(dns, entityManagerFactory);
    }

    @Override
    protected boolean containsDomainInternal(Domain domain) throws DomainListException {
        Boolean known = answers.get(domain);
        if (known != null) {
            return known;
        }
        long asked = generation();
        boolean answer = super.containsDomainInternal(domain);
        remember(domain, answer, asked);
        return answer;
    }

    @Override
    public void addDomain(Domain domain) throws DomainListException {
        try {
            super.addDomain(domain);
        } finally {
            forget();
        }
    }

    @Override
    public void doRemoveDomain(Domain domain) throws DomainListException {
        try {
            super.doRemoveDomain(domain);
        } finally {
            forget();
        }
    }

    private synchronized long generation() {
        return generation;
    }

    private synchronized void remember(Domain domain, boolean answer, long asked) {
        if (asked != generation) {
            return;
        }
        if (answers.size() >= REMEMBERED) {
            answers.clear();
        }
        answers.put(domain, answer);
    }

    private synchronized void forget() {
        generation++;
        answers.clear();
    }
}
