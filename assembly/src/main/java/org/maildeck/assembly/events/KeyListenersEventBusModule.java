package org.maildeck.assembly.events;

import org.apache.james.events.EventBus;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

/** Overrides James's {@code DefaultEventModule} binding of the event bus: {@link KeyListenersEventBus}. */
public class KeyListenersEventBusModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(KeyListenersEventBus.class).in(Scopes.SINGLETON);
        bind(EventBus.class).to(KeyListenersEventBus.class);
    }
}
