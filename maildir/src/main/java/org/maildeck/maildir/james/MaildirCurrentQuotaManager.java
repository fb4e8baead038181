package org.maildeck.maildir.james;

import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * A user's usage is what is in their Maildir, counted from the folder indexes: mail that other
 * programs delivered or deleted counts too (within a second), and there is no counter to drift.
 */
public final class MaildirCurrentQuotaManager implements CurrentQuotaManager {

    private final MaildirStore store;
    private final UserQuotaRootResolver quotaRoots;

    @Inject
    public MaildirCurrentQuotaManager(MaildirStore store, UserQuotaRootResolver quotaRoots) {
        this.store = store;
        this.quotaRoots = quotaRoots;
    }

    @Override
    public Publisher<QuotaCountUsage> getCurrentMessageCount(QuotaRoot quotaRoot) {
        return Mono.from(getCurrentQuotas(quotaRoot)).map(CurrentQuotas::count);
    }

    @Override
    public Publisher<QuotaSizeUsage> getCurrentStorage(QuotaRoot quotaRoot) {
        return Mono.from(getCurrentQuotas(quotaRoot)).map(CurrentQuotas::size);
    }

    @Override
    public Publisher<CurrentQuotas> getCurrentQuotas(QuotaRoot quotaRoot) {
        return LeafCalls.of(() -> usage(quotaRoots.associatedUsername(quotaRoot)));
    }

    private CurrentQuotas usage(Username user) throws IOException {
        long count = 0;
        long size = 0;
        try {
            for (String name : store.folderNames(user.asString())) {
                MaildirFolder folder = store.folder(user.asString(), name);
                folder.syncForFigures();
                count += folder.count();
                size += folder.totalSize();
            }
        } catch (MaildirLayout.InvalidNameException notAMaildirUser) {
            return CurrentQuotas.emptyQuotas();
        }
        return new CurrentQuotas(QuotaCountUsage.count(count), QuotaSizeUsage.size(size));
    }

    /** Usage is read from the disk each time; there is nothing to add to. */
    @Override
    public Publisher<Void> increase(QuotaOperation quotaOperation) {
        return Mono.empty();
    }

    @Override
    public Publisher<Void> decrease(QuotaOperation quotaOperation) {
        return Mono.empty();
    }

    @Override
    public Publisher<Void> setCurrentQuotas(QuotaOperation quotaOperation) {
        return Mono.empty();
    }
}
