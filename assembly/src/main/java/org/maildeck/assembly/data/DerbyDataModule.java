package org.maildeck.assembly.data;

import org.apache.james.CoreDataModule;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailrepository.api.MailRepositoryFactory;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.jpa.JPAMailRepository;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryFactory;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.sieve.jpa.JPASieveRepository;
import org.apache.james.sieverepository.api.SieveQuotaRepository;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * Users, domains, recipient rewrites (aliases, catch-all), sieve scripts and the
 * {@code jpa://} mail repositories, all in the embedded Derby database through James's JPA
 * implementations.
 */
public class DerbyDataModule extends AbstractModule {

    @Override
    protected void configure() {
        install(new CoreDataModule());
        install(new EntityManagerFactoryModule());

        bind(RememberingDomainList.class).in(Scopes.SINGLETON);
        bind(JPADomainList.class).to(RememberingDomainList.class);
        bind(DomainList.class).to(RememberingDomainList.class);

        bind(RememberingUsersRepository.class).in(Scopes.SINGLETON);
        bind(JPAUsersRepository.class).to(RememberingUsersRepository.class);
        bind(UsersRepository.class).to(RememberingUsersRepository.class);

        bind(RememberingRewriteTable.class).in(Scopes.SINGLETON);
        bind(JPARecipientRewriteTable.class).to(RememberingRewriteTable.class);
        bind(RecipientRewriteTable.class).to(RememberingRewriteTable.class);
        bind(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
        bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class);
        bind(CanSendFromImpl.class).in(Scopes.SINGLETON);
        bind(CanSendFrom.class).to(CanSendFromImpl.class);

        bind(RememberingSieveRepository.class).in(Scopes.SINGLETON);
        bind(JPASieveRepository.class).to(RememberingSieveRepository.class);
        bind(SieveRepository.class).to(RememberingSieveRepository.class);
        bind(SieveQuotaRepository.class).to(RememberingSieveRepository.class);

        bind(JPAMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
        bind(MailRepositoryUrlStore.class).to(JPAMailRepositoryUrlStore.class);
        bind(MailRepositoryStoreConfiguration.Item.class)
            .toProvider(() -> new MailRepositoryStoreConfiguration.Item(
                ImmutableList.of(new Protocol("jpa")),
                JPAMailRepository.class.getName(),
                new BaseHierarchicalConfiguration()));
        Multibinder.newSetBinder(binder(), MailRepositoryFactory.class)
            .addBinding().to(JPAMailRepositoryFactory.class);

        Multibinder.newSetBinder(binder(), HealthCheck.class)
            .addBinding().to(DerbyHealthCheck.class);
    }

    @ProvidesIntoSet
    InitializationOperation configureDomains(DomainListConfiguration configuration, RememberingDomainList domainList) {
        return InitilizationOperationBuilder
            .forClass(RememberingDomainList.class)
            .init(() -> domainList.configure(configuration));
    }

    @ProvidesIntoSet
    InitializationOperation configureUsers(ConfigurationProvider configurationProvider, RememberingUsersRepository users) {
        return InitilizationOperationBuilder
            .forClass(RememberingUsersRepository.class)
            .init(() -> users.configure(configurationProvider.getConfiguration("usersrepository")));
    }

    @ProvidesIntoSet
    InitializationOperation configureRewrites(ConfigurationProvider configurationProvider, RememberingRewriteTable rewrites) {
        return InitilizationOperationBuilder
            .forClass(RememberingRewriteTable.class)
            .init(() -> rewrites.configure(configurationProvider.getConfiguration("recipientrewritetable")));
    }
}
