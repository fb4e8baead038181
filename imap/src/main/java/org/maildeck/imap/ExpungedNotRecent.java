package org.maildeck.imap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventListener;
import org.apache.james.events.EventListener.ReactiveEventListener;
import org.apache.james.events.RegistrationKey;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.reactivestreams.Publisher;

/**
 * The event bus as a selected mailbox sees it: an expunged message stops being \Recent in the
 * session before the session hears of the expunge. James 3.8.1's SelectedMailboxImpl only drops
 * expunged UIDs from its recent set when it counts \Recent, and AbstractMailboxProcessor counts
 * after it has sent the EXPUNGEs and forgotten which UIDs they were; so every expunged message
 * stayed recent in the session for good, and {@code * N RECENT} grew past EXISTS (RFC 3501
 * §7.3.2/RFC 9051 §7.4.1: RECENT counts messages of the mailbox; §7.5.1 EXPUNGE removes them).
 *
 * <p>Upstream: no corresponding James change found (searched apache/james-project issues and
 * code; its stored SelectedMailboxImpl has the same handleAddition and checkExpungedRecents;
 * MAILBOX-398 is about \Recent in search only).
 */
final class ExpungedNotRecent {

    private ExpungedNotRecent() {
    }

    /** {@code bus}, registering each selected mailbox behind {@link #forgettingExpunged}. */
    static EventBus around(EventBus bus) {
        return (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(), new Class<?>[] {EventBus.class}, (proxy, method, args) -> {
            if (method.getName().equals("register") && args.length == 2 && args[0] instanceof SelectedMailbox selected
                && args[0] instanceof ReactiveEventListener listener && args[1] instanceof RegistrationKey) {
                args = new Object[] {forgettingExpunged(listener, selected), args[1]};
            }
            try {
                return method.invoke(bus, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static ReactiveEventListener forgettingExpunged(ReactiveEventListener listener, SelectedMailbox selected) {
        return new ReactiveEventListener() {
            @Override
            public Publisher<Void> reactiveEvent(Event event) {
                if (event instanceof Expunged expunged) {
                    expunged.getUids().forEach(selected::removeRecent);
                }
                return listener.reactiveEvent(event);
            }

            @Override
            public EventListener.ExecutionMode getExecutionMode() {
                return listener.getExecutionMode();
            }

            @Override
            public boolean isHandling(Event event) {
                return listener.isHandling(event);
            }
        };
    }
}
