package org.maildeck.assembly.data;

import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.Domain;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.jpa.quota.JPAPerUserMaxQuotaDAO;
import org.apache.james.mailbox.jpa.quota.JPAPerUserMaxQuotaManager;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.maildeck.maildir.james.LeafCalls;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * The quota limits in Derby (per user, per domain, global), with each user's limits remembered
 * until any limit changes.
 *
 * <p>Why: each message reads its recipient's limits twice (the RCPT hook, the append's quota
 * check), four JPA queries each time: 13% of the SMTP threads' CPU in the ingest benchmark.
 * Limits change only through the setters and removers below (WebAdmin, in this process; the
 * embedded Derby has no other writer); James's reactive variants call them.
 */
public class RememberingMaxQuotaManager extends JPAPerUserMaxQuotaManager {

    private final RememberedAnswers<QuotaRoot, Map<Quota.Scope, QuotaCountLimit>> counts = new RememberedAnswers<>(10_000);
    private final RememberedAnswers<QuotaRoot, Map<Quota.Scope, QuotaSizeLimit>> sizes = new RememberedAnswers<>(10_000);

    @Inject
    public RememberingMaxQuotaManager(EntityManagerFactory entityManagerFactory, JPAPerUserMaxQuotaDAO dao) {
        super(entityManagerFactory, dao);
    }

    @Override
    public Map<Quota.Scope, QuotaCountLimit> listMaxMessagesDetails(QuotaRoot root) {
        return counts.answer(root, key -> Map.copyOf(super.listMaxMessagesDetails(key)));
    }

    @Override
    public Map<Quota.Scope, QuotaSizeLimit> listMaxStorageDetails(QuotaRoot root) {
        return sizes.answer(root, key -> Map.copyOf(super.listMaxStorageDetails(key)));
    }

    /**
     * James's own reads both maps with private methods of its own, around the two above: the
     * mailbox manager's append check comes this way.
     */
    @Override
    public Publisher<QuotaDetails> quotaDetailsReactive(QuotaRoot root) {
        Optional<Map<Quota.Scope, QuotaCountLimit>> count = counts.get(root);
        Optional<Map<Quota.Scope, QuotaSizeLimit>> size = sizes.get(root);
        if (count.isPresent() && size.isPresent()) {
            return Mono.just(new QuotaDetails(count.get(), size.get()));
        }
        return LeafCalls.of(() -> quotaDetails(root));
    }

    @Override
    public void setMaxStorage(QuotaRoot root, QuotaSizeLimit limit) {
        forgetAfter(() -> super.setMaxStorage(root, limit));
    }

    @Override
    public void setMaxMessage(QuotaRoot root, QuotaCountLimit limit) {
        forgetAfter(() -> super.setMaxMessage(root, limit));
    }

    @Override
    public void removeMaxStorage(QuotaRoot root) {
        forgetAfter(() -> super.removeMaxStorage(root));
    }

    @Override
    public void removeMaxMessage(QuotaRoot root) {
        forgetAfter(() -> super.removeMaxMessage(root));
    }

    @Override
    public void setDomainMaxStorage(Domain domain, QuotaSizeLimit limit) {
        forgetAfter(() -> super.setDomainMaxStorage(domain, limit));
    }

    @Override
    public void setDomainMaxMessage(Domain domain, QuotaCountLimit limit) {
        forgetAfter(() -> super.setDomainMaxMessage(domain, limit));
    }

    @Override
    public void removeDomainMaxStorage(Domain domain) {
        forgetAfter(() -> super.removeDomainMaxStorage(domain));
    }

    @Override
    public void removeDomainMaxMessage(Domain domain) {
        forgetAfter(() -> super.removeDomainMaxMessage(domain));
    }

    @Override
    public void setGlobalMaxStorage(QuotaSizeLimit limit) {
        forgetAfter(() -> super.setGlobalMaxStorage(limit));
    }

    @Override
    public void setGlobalMaxMessage(QuotaCountLimit limit) {
        forgetAfter(() -> super.setGlobalMaxMessage(limit));
    }

    @Override
    public void removeGlobalMaxStorage() {
        forgetAfter(super::removeGlobalMaxStorage);
    }

    @Override
    public void removeGlobalMaxMessage() {
        forgetAfter(super::removeGlobalMaxMessage);
    }

    /** Any change of a limit may change anyone's: a global or domain limit applies to many. */
    private void forgetAfter(Runnable change) {
        counts.forgetAfter(() -> sizes.forgetAfter(change::run));
    }
}
