package org.maildeck.assembly.mailbox;

import static org.apache.james.modules.Names.MAILBOXMANAGER_NAME;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.adapter.mailbox.ACLUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.MailboxUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.QuotaUsernameChangeTaskStep;
import org.apache.james.adapter.mailbox.UserRepositoryAuthenticator;
import org.apache.james.adapter.mailbox.UserRepositoryAuthorizator;
import org.apache.james.events.EventListener;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.jpa.quota.JPAPerUserMaxQuotaManager;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootDeserializer;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.mailbox.store.JVMMailboxPathLocker;
import org.apache.james.mailbox.store.MailboxManagerConfiguration;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.SessionProviderImpl;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.apache.james.mailbox.store.StoreSubscriptionManager;
import org.apache.james.mailbox.store.event.MailboxAnnotationListener;
import org.apache.james.mailbox.store.extractor.DefaultTextExtractor;
import org.apache.james.mailbox.store.mail.MailboxMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.ModSeqProvider;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.UidProvider;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.apache.james.mailbox.store.quota.DefaultUserQuotaRootResolver;
import org.apache.james.mailbox.store.quota.ListeningCurrentQuotaUpdater;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.quota.QuotaUpdater;
import org.apache.james.mailbox.store.quota.StoreQuotaManager;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.user.SubscriptionMapperFactory;
import org.apache.james.quota.search.QuotaSearcher;
import org.apache.james.quota.search.scanning.ScanningQuotaSearcher;
import org.apache.james.user.api.UsernameChangeTaskStep;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.MailboxManagerDefinition;
import org.apache.james.utils.PropertiesProvider;
import org.maildeck.assembly.ServerLocations;
import org.maildeck.assembly.data.RememberingMaxQuotaManager;
import org.maildeck.assembly.mailbox.search.FolderScanSearchIndex;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.MaildirStore;
import org.maildeck.maildir.james.MaildirCurrentQuotaManager;
import org.maildeck.maildir.james.MaildirMailboxId;
import org.maildeck.maildir.james.MaildirMailboxManager;
import org.maildeck.maildir.james.MaildirMailboxSessionMapperFactory;
import org.maildeck.maildir.james.MaildirMaintenance;
import org.maildeck.maildir.james.MaildirModSeqProvider;
import org.maildeck.maildir.james.MaildirUidProvider;
import org.maildeck.mailets.LimitsFirstQuotaManager;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import com.google.inject.name.Names;

/**
 * The server's mailbox store: users' Maildirs (Maildir++, on-disk compatible with Dovecot 2.3)
 * under the root named in {@code maildir.properties}. Quota limits stay in Derby (set by the
 * admin); usage is counted from the Maildirs. SEARCH reads the messages themselves (James's
 * simple index), so mail delivered by other programs is found too; there is no search index to
 * rebuild, hence no re-indexing tasks.
 */
public class MaildirMailboxModule extends AbstractModule {

    /** Dovecot's usual names, which the SPECIAL-USE typer knows. */
    static final List<String> DEFAULT_FOLDERS = List.of("Sent", "Drafts", "Trash", "Junk");

    @Override
    protected void configure() {
        bindStore();
        bindQuota();
        bindSearch();
        // Nobody times the fsyncs unless the monitoring does.
        OptionalBinder.newOptionalBinder(binder(), FsyncListener.class).setDefault().toInstance(FsyncListener.NONE);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(MaildirMaintenanceProbe.class);
    }

    private void bindStore() {
        bind(MaildirMailboxSessionMapperFactory.class).in(Scopes.SINGLETON);
        bind(MaildirMailboxManager.class).in(Scopes.SINGLETON);
        bind(JVMMailboxPathLocker.class).in(Scopes.SINGLETON);
        bind(StoreSubscriptionManager.class).in(Scopes.SINGLETON);
        bind(MaildirModSeqProvider.class).in(Scopes.SINGLETON);
        bind(MaildirUidProvider.class).in(Scopes.SINGLETON);
        bind(UserRepositoryAuthenticator.class).in(Scopes.SINGLETON);
        bind(MaildirOwnerAuthenticator.class).in(Scopes.SINGLETON);
        bind(UserRepositoryAuthorizator.class).in(Scopes.SINGLETON);
        bind(MaildirMailboxId.Factory.class).in(Scopes.SINGLETON);
        bind(DefaultMessageId.Factory.class).in(Scopes.SINGLETON);
        bind(NaiveThreadIdGuessingAlgorithm.class).in(Scopes.SINGLETON);
        bind(SessionProviderImpl.class).in(Scopes.SINGLETON);
        bind(MaildirMaintenance.class).in(Scopes.SINGLETON);

        bind(SubscriptionMapperFactory.class).to(MaildirMailboxSessionMapperFactory.class);
        bind(MessageMapperFactory.class).to(MaildirMailboxSessionMapperFactory.class);
        bind(MailboxMapperFactory.class).to(MaildirMailboxSessionMapperFactory.class);
        bind(MailboxSessionMapperFactory.class).to(MaildirMailboxSessionMapperFactory.class);
        bind(MessageId.Factory.class).to(DefaultMessageId.Factory.class);
        bind(ThreadIdGuessingAlgorithm.class).to(NaiveThreadIdGuessingAlgorithm.class);
        bind(ModSeqProvider.class).to(MaildirModSeqProvider.class);
        bind(UidProvider.class).to(MaildirUidProvider.class);
        bind(SubscriptionManager.class).to(StoreSubscriptionManager.class);
        bind(MailboxPathLocker.class).to(JVMMailboxPathLocker.class);
        bind(Authenticator.class).to(MaildirOwnerAuthenticator.class);
        bind(Authorizator.class).to(UserRepositoryAuthorizator.class);
        bind(MailboxManager.class).to(MaildirMailboxManager.class);
        bind(StoreMailboxManager.class).to(MaildirMailboxManager.class);
        bind(SessionProvider.class).to(SessionProviderImpl.class);
        bind(MailboxId.Factory.class).to(MaildirMailboxId.Factory.class);
        bind(AttachmentContentLoader.class).to(AttachmentsInsideMessages.class);
        bind(MailboxManager.class).annotatedWith(Names.named(MAILBOXMANAGER_NAME)).to(MailboxManager.class);
        bind(MailboxManagerConfiguration.class).toInstance(MailboxManagerConfiguration.DEFAULT);

        Multibinder.newSetBinder(binder(), MailboxManagerDefinition.class)
            .addBinding().to(MaildirMailboxManagerDefinition.class);
        Multibinder.newSetBinder(binder(), EventListener.GroupEventListener.class)
            .addBinding().to(MailboxAnnotationListener.class);

        Multibinder<UsernameChangeTaskStep> usernameChangeSteps = Multibinder.newSetBinder(binder(), UsernameChangeTaskStep.class);
        usernameChangeSteps.addBinding().to(MailboxUsernameChangeTaskStep.class);
        usernameChangeSteps.addBinding().to(ACLUsernameChangeTaskStep.class);
        usernameChangeSteps.addBinding().to(QuotaUsernameChangeTaskStep.class);
    }

    private void bindQuota() {
        bind(DefaultUserQuotaRootResolver.class).in(Scopes.SINGLETON);
        bind(RememberingMaxQuotaManager.class).in(Scopes.SINGLETON);
        bind(StoreQuotaManager.class).in(Scopes.SINGLETON);
        bind(MaildirCurrentQuotaManager.class).in(Scopes.SINGLETON);
        bind(ListeningCurrentQuotaUpdater.class).in(Scopes.SINGLETON);
        bind(ScanningQuotaSearcher.class).in(Scopes.SINGLETON);

        bind(UserQuotaRootResolver.class).to(DefaultUserQuotaRootResolver.class);
        bind(QuotaRootResolver.class).to(DefaultUserQuotaRootResolver.class);
        bind(QuotaRootDeserializer.class).to(DefaultUserQuotaRootResolver.class);
        bind(JPAPerUserMaxQuotaManager.class).to(RememberingMaxQuotaManager.class);
        bind(MaxQuotaManager.class).to(RememberingMaxQuotaManager.class);
        bind(QuotaManager.class).to(StoreQuotaManager.class);
        bind(CurrentQuotaManager.class).to(MaildirCurrentQuotaManager.class);
        bind(QuotaUpdater.class).to(ListeningCurrentQuotaUpdater.class);
        bind(QuotaSearcher.class).to(ScanningQuotaSearcher.class);
        // ListeningCurrentQuotaUpdater is not registered on the event bus: on each message added
        // or expunged it would tell MaildirCurrentQuotaManager (which keeps no counter) and then
        // count the user's whole Maildir to announce the new usage in an event that nothing here
        // listens to (no quota mailing, no quota search index): a fifth of the server's CPU in
        // the ingest benchmark.
    }

    private void bindSearch() {
        bind(DefaultTextExtractor.class).in(Scopes.SINGLETON);
        bind(TextExtractor.class).to(DefaultTextExtractor.class);
        bind(FolderScanSearchIndex.class).in(Scopes.SINGLETON);
        bind(MessageSearchIndex.class).to(FolderScanSearchIndex.class);
    }

    @Provides
    @Singleton
    MaildirStore maildirStore(JamesDirectoriesProvider directories, PropertiesProvider properties, FsyncListener fsyncs) throws ConfigurationException {
        Path root = ((ServerLocations) directories).mailDirectory();
        List<String> defaultFolders = DEFAULT_FOLDERS;
        try {
            Configuration configuration = properties.getConfiguration("maildir");
            String configured = configuration.getString("root", "").trim();
            if (!configured.isEmpty()) {
                root = Path.of(configured);
            }
            if (configuration.containsKey("defaultFolders")) {
                defaultFolders = Arrays.stream(configuration.getStringArray("defaultFolders"))
                    .map(String::trim).filter(name -> !name.isEmpty()).toList();
            }
        } catch (FileNotFoundException absent) {
            // no maildir.properties: the defaults
        }
        return new MaildirStore(root, defaultFolders, fsyncs);
    }

    /**
     * The mailbox manager only checks appends, copies and moves against the limits: it needs no
     * count of the user's Maildir when there is no limit (see {@link LimitsFirstQuotaManager}).
     */
    @Provides
    @Singleton
    QuotaComponents quotaChecks(MaxQuotaManager limits, LimitsFirstQuotaManager quotas, QuotaRootResolver roots) {
        return new QuotaComponents(limits, quotas, roots);
    }

    @ProvidesIntoSet
    InitializationOperation startMaintenance(MaildirMaintenance maintenance) {
        return InitilizationOperationBuilder.forClass(MaildirMaintenance.class).init(maintenance::start);
    }

    @Singleton
    private static class MaildirMailboxManagerDefinition extends MailboxManagerDefinition {
        @Inject
        private MaildirMailboxManagerDefinition(MaildirMailboxManager manager) {
            super("maildir-mailboxmanager", manager);
        }
    }
}
