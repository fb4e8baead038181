package org.maildeck.assembly.managesieve;

import javax.inject.Singleton;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.managesieveserver.netty.ManageSieveServerFactory;
import org.apache.james.modules.protocols.ManageSieveServerModule;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.maildeck.durability.Durability;
import org.maildeck.durability.FsyncListener;
import org.maildeck.mailets.sieve.PigeonholeSieveRepository;
import org.maildeck.maildir.MaildirStore;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.util.Modules;

/**
 * James's ManageSieve server (RFC 5804), its listeners made by
 * {@link MaildeckManageSieveServerFactory}, and the one {@link PigeonholeSieveRepository} it and
 * {@code maildeck sieve} write through. The limits are read once from
 * {@code managesieveserver.xml}: {@code <maxScriptSize>} (bytes; Pigeonhole's
 * {@code sieve_max_script_size}, 1 MiB) and {@code <maxScripts>} (Pigeonhole's
 * {@code sieve_quota_max_scripts}; 100 here, where Pigeonhole has no limit).
 */
public final class ManageSieveModule extends AbstractModule {

    public static final int DEFAULT_MAX_SCRIPT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_SCRIPTS = 100;

    public static Module withJames() {
        return Modules.override(new ManageSieveServerModule()).with(new ManageSieveModule());
    }

    @Override
    protected void configure() {
        bind(MaildeckManageSieveServerFactory.class).in(Scopes.SINGLETON);
        bind(ManageSieveServerFactory.class).to(MaildeckManageSieveServerFactory.class);
        com.google.inject.multibindings.Multibinder.newSetBinder(binder(), org.apache.james.webadmin.Routes.class)
            .addBinding().to(SieveScriptRoutes.class);
    }

    @Provides
    @Singleton
    PigeonholeSieveRepository scripts(ConfigurationProvider configuration, MaildirStore store, FsyncListener fsyncs) throws ConfigurationException {
        HierarchicalConfiguration<ImmutableNode> servers = configuration.getConfiguration("managesieveserver");
        return new PigeonholeSieveRepository(store.layout(), new Durability(fsyncs),
            positive(servers, "maxScriptSize", DEFAULT_MAX_SCRIPT_BYTES), positive(servers, "maxScripts", DEFAULT_MAX_SCRIPTS));
    }

    private static int positive(HierarchicalConfiguration<ImmutableNode> config, String key, int defaultValue) throws ConfigurationException {
        int value = config.getInt(key, defaultValue);
        if (value <= 0) {
            throw new ConfigurationException("managesieveserver.xml: " + key + " must be positive, not " + value);
        }
        return value;
    }
}
