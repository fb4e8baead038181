package org.maildeck.mailets;

import java.util.Map;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * The quotas that an addition is checked against, for the checks only: a recipient at RCPT
 * time, a message appended to a folder. The limits are read first and the usage is counted only
 * when one of them is set.
 *
 * <p>Why: a user's usage is counted from their Maildir, listing every file of every folder,
 * and it was counted twice for every message delivered (at RCPT and again at the append), a
 * third of the server's CPU in the ingest benchmark for an INBOX of 2,000 messages, and growing
 * with the mailbox. Most users have no limit, and an addition cannot go over no limit.
 *
 * <p>With both limits unlimited the usage is given as zero, which is right for a check and wrong
 * for anything shown to someone: IMAP GETQUOTAROOT and WebAdmin keep James's {@code
 * QuotaManager}, which counts. {@link #getMessageQuota} and {@link #getStorageQuota} count too.
 */
@Singleton
public final class LimitsFirstQuotaManager implements QuotaManager {

    private final CurrentQuotaManager usage;
    private final MaxQuotaManager limits;

    @Inject
    public LimitsFirstQuotaManager(CurrentQuotaManager usage, MaxQuotaManager limits) {
        this.usage = usage;
        this.limits = limits;
    }

    @Override
    public Quotas getQuotas(QuotaRoot root) throws MailboxException {
        return Mono.from(getQuotasReactive(root)).block();
    }

    @Override
    public Publisher<Quotas> getQuotasReactive(QuotaRoot root) {
        return Mono.from(limits.quotaDetailsReactive(root))
            .flatMap(details -> isUnlimited(details)
                ? Mono.just(quotas(details, CurrentQuotas.emptyQuotas()))
                : Mono.from(usage.getCurrentQuotas(root)).map(used -> quotas(details, used.sanitize())));
    }

    @Override
    public Quota<QuotaCountLimit, QuotaCountUsage> getMessageQuota(QuotaRoot root) throws MailboxException {
        return getCountedQuotas(root).getMessageQuota();
    }

    @Override
    public Quota<QuotaSizeLimit, QuotaSizeUsage> getStorageQuota(QuotaRoot root) throws MailboxException {
        return getCountedQuotas(root).getStorageQuota();
    }

    private Quotas getCountedQuotas(QuotaRoot root) {
        return Mono.zip(Mono.from(limits.quotaDetailsReactive(root)), Mono.from(usage.getCurrentQuotas(root)))
            .map(both -> quotas(both.getT1(), both.getT2().sanitize()))
            .block();
    }

    private boolean isUnlimited(MaxQuotaManager.QuotaDetails details) {
        return countLimit(details.getMaxMessageDetails()).isUnlimited()
            && sizeLimit(details.getMaxStorageDetails()).isUnlimited();
    }

    private Quotas quotas(MaxQuotaManager.QuotaDetails details, CurrentQuotas used) {
        return new Quotas(
            Quota.<QuotaCountLimit, QuotaCountUsage>builder()
                .used(used.count())
                .computedLimit(countLimit(details.getMaxMessageDetails()))
                .limitsByScope(details.getMaxMessageDetails())
                .build(),
            Quota.<QuotaSizeLimit, QuotaSizeUsage>builder()
                .used(used.size())
                .computedLimit(sizeLimit(details.getMaxStorageDetails()))
                .limitsByScope(details.getMaxStorageDetails())
                .build());
    }

    private QuotaCountLimit countLimit(Map<Quota.Scope, QuotaCountLimit> byScope) {
        return limits.getMaxMessage(byScope).orElse(QuotaCountLimit.unlimited());
    }

    private QuotaSizeLimit sizeLimit(Map<Quota.Scope, QuotaSizeLimit> byScope) {
        return limits.getMaxStorage(byScope).orElse(QuotaSizeLimit.unlimited());
    }
}
