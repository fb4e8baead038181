package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.utils.GuiceGenericLoader;
import org.maildeck.imap.append.MultiAppendPackage;
import org.maildeck.imap.context.ContextSearchModule;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;

/**
 * Adds SORT, THREAD and ESORT to James's IMAP server through James's own extension point, the
 * {@link ImapPackage}: a package's parsers, processors and encoders join James's, and its
 * processors' capabilities are announced by CAPABILITY. James's provider of the package (from
 * imapserver.xml's {@code imapPackages}, James's defaults without it) is overridden to add
 * {@link SortThreadPackage} (and MULTIAPPEND's {@link MultiAppendPackage}, CONTEXT=SEARCH's
 * {@link ContextSearchModule.Package}) to whatever it gives,
 * so no configuration has to name them.
 */
public class SortThreadModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(SortFieldCache.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    ImapPackage imapPackage(ConfigurationProvider configuration, GuiceGenericLoader loader) throws ConfigurationException {
        String[] configured = configuration.getConfiguration("imapserver").getStringArray("imapPackages");
        List<ImapPackage> packages = new ArrayList<>();
        for (String name : configured == null ? new String[0] : configured) {
            try {
                packages.add((ImapPackage) loader.instantiate(new ClassName(name)));
            } catch (Exception unloadable) {
                throw new ConfigurationException("imapPackages: cannot load " + name, unloadable);
            }
        }
        if (packages.isEmpty()) {
            packages.add(ImapPackage.DEFAULT);
        }
        packages.add(new SortThreadPackage());
        packages.add(new MultiAppendPackage());
        packages.add(new ContextSearchModule.Package());
        return ImapPackage.and(packages);
    }

    /** The parsers, processors and encoders of SORT and THREAD. */
    static final class SortThreadPackage extends ImapPackage.Impl {
        SortThreadPackage() {
            super(names(SortProcessor.class, ThreadProcessor.class),
                names(SortCommandParser.class, ThreadCommandParser.class),
                names(SortResponseEncoder.class, ThreadResponseEncoder.class));
        }

        private static ImmutableList<ClassName> names(Class<?>... classes) {
            return Stream.of(classes).map(type -> new ClassName(type.getName())).collect(ImmutableList.toImmutableList());
        }
    }
}
