package org.maildeck.assembly.managesieve;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.managesieve.transcode.ArgumentParser;
import org.apache.james.managesieve.transcode.ManageSieveProcessor;
import org.apache.james.managesieveserver.netty.ManageSieveServerFactory;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.user.api.UsersRepository;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.sieve.DeliverySieve;
import org.maildeck.mailets.sieve.PigeonholeSieveRepository;

/**
 * James's ManageSieve listeners on the users' scripts in Pigeonhole's layout
 * ({@link PigeonholeSieveRepository}, its limits from {@code managesieveserver.xml}, see
 * {@link ManageSieveModule}), a literal larger than its script size limit refused at once.
 * Scripts are checked with the jSieve delivery runs ({@link DeliverySieve#boundedJsieve()}).
 */
public class MaildeckManageSieveServerFactory extends ManageSieveServerFactory {

    /** Room for the command and its name around the literal. */
    private static final int REQUEST_OVERHEAD = 8192;

    private final PigeonholeSieveRepository scripts;
    private final UsersRepository users;
    private final LoginThrottle throttle;
    private FileSystem fileSystem;

    @Inject
    public MaildeckManageSieveServerFactory(PigeonholeSieveRepository scripts, UsersRepository users, LoginThrottle throttle) {
        this.scripts = scripts;
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
        ManageSieveProcessor processor = new ManageSieveProcessor(
            new ArgumentParser(new MaildeckCoreProcessor(scripts, users, parser, throttle)));
        int maxScriptBytes = scripts.maxScriptBytes();
        for (HierarchicalConfiguration<ImmutableNode> serverConfig : config.configurationsAt("managesieveserver")) {
            MaildeckManageSieveServer server = new MaildeckManageSieveServer(processor, maxScriptBytes, maxScriptBytes + REQUEST_OVERHEAD);
            server.setFileSystem(fileSystem);
            server.configure(serverConfig);
            servers.add(server);
        }
        return servers;
    }
}
