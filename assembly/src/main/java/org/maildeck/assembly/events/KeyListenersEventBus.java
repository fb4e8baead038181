package org.maildeck.assembly.events;

import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventBusName;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.events.InVMEventBus;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.delivery.EventDelivery;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Multimaps;
import com.google.common.collect.SetMultimap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's in-VM event bus, with the listeners registered by key (each IMAP session's selected
 * mailbox, IDLE) kept in sets that may change while an event is being delivered.
 *
 * <p>James 3.8.1's {@code InVMEventBus} keeps them in a synchronized {@code HashMultimap}, whose
 * per-key sets are plain {@code HashSet}s read without the lock when an event is dispatched: a
 * session selecting or closing a mailbox while another stored flags in it made the STORE fail
 * with a ConcurrentModificationException. Upstream's fix (apache/james-project#2291,
 * "registrations multimap made fully thread safe", after 3.8.1) gives each key a concurrent set,
 * as here. Group listeners, redelivery and the bus's name stay James's.
 */
public final class KeyListenersEventBus implements EventBus {

    private final InVMEventBus james;
    private final EventDelivery delivery;
    private final SetMultimap<RegistrationKey, EventListener.ReactiveEventListener> byKey =
        Multimaps.synchronizedSetMultimap(Multimaps.newSetMultimap(new HashMap<>(), ConcurrentHashMap::newKeySet));

    @Inject
    public KeyListenersEventBus(InVMEventBus james, EventDelivery delivery) {
        this.james = james;
        this.delivery = delivery;
    }

    @Override
    public Mono<Registration> register(EventListener.ReactiveEventListener listener, RegistrationKey key) {
        byKey.put(key, listener);
        return Mono.just(() -> Mono.fromRunnable(() -> byKey.remove(key, listener)));
    }

    @Override
    public Registration register(EventListener.ReactiveEventListener listener, Group group) {
        return james.register(listener, group);
    }

    @Override
    public Mono<Void> dispatch(Event event, Set<RegistrationKey> keys) {
        if (event.isNoop()) {
            return Mono.empty();
        }
        return Flux.merge(james.dispatch(event, Set.of()), keyDeliveries(event, keys))
            .then()
            .onErrorResume(any -> Mono.empty());
    }

    private Mono<Void> keyDeliveries(Event event, Set<RegistrationKey> keys) {
        Set<EventListener.ReactiveEventListener> listeners = keys.stream()
            .flatMap(key -> byKey.get(key).stream())
            .collect(ImmutableSet.toImmutableSet());
        return Flux.fromIterable(listeners)
            .flatMap(listener -> delivery.deliver(listener, event, EventDelivery.DeliveryOption.none()), EventBus.EXECUTION_RATE)
            .then();
    }

    @Override
    public Mono<Void> reDeliver(Group group, Event event) {
        return james.reDeliver(group, event);
    }

    @Override
    public EventBusName eventBusName() {
        return james.eventBusName();
    }

    @Override
    public Collection<Group> listRegisteredGroups() {
        return james.listRegisteredGroups();
    }
}
