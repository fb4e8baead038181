package org.maildeck.assembly.managesieve;

import org.apache.james.managesieveserver.netty.ManageSieveServerFactory;
import org.apache.james.modules.protocols.ManageSieveServerModule;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.util.Modules;

/** James's ManageSieve server (RFC 5804), its listeners made by {@link MaildeckManageSieveServerFactory}. */
public final class ManageSieveModule extends AbstractModule {

    public static Module withJames() {
        return Modules.override(new ManageSieveServerModule()).with(new ManageSieveModule());
    }

    @Override
    protected void configure() {
        bind(MaildeckManageSieveServerFactory.class).in(Scopes.SINGLETON);
        bind(ManageSieveServerFactory.class).to(MaildeckManageSieveServerFactory.class);
    }
}
