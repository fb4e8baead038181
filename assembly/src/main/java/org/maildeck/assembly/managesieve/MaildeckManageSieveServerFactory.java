package org.maildeck.assembly.managesieve;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.managesieve.transcode.ArgumentParser;
import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.user.api.UsersRepository;
import org.maildeck.durability.Durability;
import org.maildeck.durability.FsyncListener;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.sieve.DeliverySieve;
import org.maildeck.mailets.sieve.PigeonholeSieveRepository;
import org.maildeck.maildir.MaildirStore;

/**
 * James's ManageSieve listeners, each on the users' scripts in Pigeonhole's layout
 * ({@link PigeonholeSieveRepository}) with its own limits from {@code managesieveserver.xml}:
 * {@code <maxScriptSize>} (bytes, Pigeonhole's {@code sieve_max_script_size}, 1 MiB) and
 * {@code <maxScripts>} (Pigeonhole's {@code sieve_quota_max_scripts}; 100 here, where
 * Pigeonhole has no limit). Scripts are checked with the jSieve delivery runs
 * ({@link DeliverySieve#boundedJsieve()}).
 */
public class MaildeckManageSieveServerFactory extends ManageSieveServerFactory {

    public static final int DEFAULT_MAX_SCRIPT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_SCRIPTS = 100;
    /** Room for the command and its name around the literal. */
    private static final int REQUEST_OVERHEAD = 8192;

    private final MaildirStore store;
    private final FsyncListener fsyncs;
    private final UsersRepository users;
    private final LoginThrottle throttle;
    private FileSystem fileSystem;

    @Inject
    public MaildeckManageSieveServerFactory(MaildirStore store, FsyncListener fsyncs, UsersRepository users, LoginThrottle throttle) {
        this.store = store;
        this.fsyncs = fsyncs;
        this.users = users;
        this.throttle = throttle;
    }

    @Override
    @Inject
    public void setFileSystem(FileSystem fileSystem) {
        super.setFileSystem(fileSystem);
        this.fileSystem = fileSystem;
    }

    @Override
    protected List<AbstractConfigurableAsyncServer> createServers(HierarchicalConfiguration<ImmutableNode> config) throws Exception {
        List<AbstractConfigurableAsyncServer> servers = new ArrayList<>();
        PositionedSieveParser parser = new PositionedSieveParser(DeliverySieve.boundedJsieve());
        for (HierarchicalConfiguration<ImmutableNode> serverConfig : config.configurationsAt("managesieveserver")) {
            int maxScriptBytes = positive(serverConfig, "maxScriptSize", DEFAULT_MAX_SCRIPT_BYTES);
            int maxScripts = positive(serverConfig, "maxScripts", DEFAULT_MAX_SCRIPTS);
            PigeonholeSieveRepository scripts = new PigeonholeSieveRepository(store.layout(), new Durability(fsyncs),
                maxScriptBytes, maxScripts);
            ManageSieveProcessor processor = new ManageSieveProcessor(
                new ArgumentParser(new MaildeckCoreProcessor(scripts, users, parser, throttle)));
            MaildeckManageSieveServer server = new MaildeckManageSieveServer(processor, maxScriptBytes, maxScriptBytes + REQUEST_OVERHEAD);
            server.setFileSystem(fileSystem);
            server.configure(serverConfig);
            servers.add(server);
        }
        return servers;
    }

    private static int positive(HierarchicalConfiguration<ImmutableNode> config, String key, int defaultValue) throws ConfigurationException {
        int value = config.getInt(key, defaultValue);
        if (value <= 0) {
            throw new ConfigurationException("managesieveserver.xml: " + key + " must be positive, not " + value);
        }
        return value;
    }
}
