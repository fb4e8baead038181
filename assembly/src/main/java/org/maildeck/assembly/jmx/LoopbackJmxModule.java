package org.maildeck.assembly.jmx;

import org.apache.james.mailbox.indexer.ReIndexer;
import org.maildeck.adminaccess.JmxTls;
import org.maildeck.assembly.mailbox.NoSearchIndexToRebuild;

import java.io.FileNotFoundException;
import java.nio.file.Path;

import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.modules.server.JMXServer;
import org.apache.james.modules.server.JMXServerModule;
import org.apache.james.modules.server.JmxConfiguration;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.name.Names;
import com.google.inject.util.Modules;
import com.google.inject.Provides;
import com.google.inject.Scopes;

/** James's JMX MBeans, served by {@link LoopbackJmxServer}. */
public class LoopbackJmxModule extends AbstractModule {

    @Override
    protected void configure() {
        // James's JMX module re-indexes a Lucene index; the Maildir store has none.
        install(Modules.override(new JMXServerModule()).with(binder -> binder.bind(ReIndexer.class)
            .annotatedWith(Names.named("reindexer")).to(NoSearchIndexToRebuild.class)));
        bind(LoopbackJmxServer.class).in(Scopes.SINGLETON);
        bind(JMXServer.class).to(LoopbackJmxServer.class);
    }

    @Provides
    @Singleton
    JmxTls tls(PropertiesProvider propertiesProvider, JamesDirectoriesProvider directories) throws ConfigurationException {
        try {
            Configuration jmx = propertiesProvider.getConfiguration("jmx");
            return JmxTls.fromSettings(key -> jmx.getString(key, null), Path.of(directories.getConfDirectory()));
        } catch (FileNotFoundException e) {
            return JmxTls.off();
        }
    }

    @Provides
    @Singleton
    JmxConnectorPort connectorPort(PropertiesProvider propertiesProvider, JmxConfiguration jmx) throws ConfigurationException {
        int fallback = jmx.isEnabled() ? jmx.getHost().getPort() - 1 : 0;
        try {
            return new JmxConnectorPort(propertiesProvider.getConfiguration("jmx").getInt("jmx.rmi.port", fallback));
        } catch (FileNotFoundException e) {
            return new JmxConnectorPort(fallback);
        }
    }
}
