package org.maildeck.assembly.events;

import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.james.event.json.MailboxEventSerializer;
import org.apache.james.events.Event;
import org.apache.james.events.EventSerializer;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * James's mailbox event serializer, built when an event is first written or read: only the
 * event dead letters (a listener that failed) and WebAdmin's dead-letter routes use it.
 *
 * <p>James's {@link MailboxEventSerializer} is Scala (play-json and shapeless codecs): building
 * it loads ~450 classes of scala-library, play-json, shapeless and its own generated codecs,
 * which every server paid at start and then kept in its class archive and heap without writing a
 * single dead letter (bench/README.md, "Start, round 5").</p>
 */
public final class EventSerializerOnFirstUse implements EventSerializer {

    // Guava's memoizing supplier: built once, by the first caller, seen by every thread
    private final Supplier<EventSerializer> serializer;

    EventSerializerOnFirstUse(Provider<? extends EventSerializer> serializers) {
        this.serializer = Suppliers.memoize(serializers::get);
    }

    @Override
    public String toJson(Event event) {
        return serializer.get().toJson(event);
    }

    @Override
    public byte[] toJsonBytes(Event event) {
        return serializer.get().toJsonBytes(event);
    }

    @Override
    public Event asEvent(String serialized) {
        return serializer.get().asEvent(serialized);
    }

    @Override
    public Event fromBytes(byte[] serialized) {
        return serializer.get().fromBytes(serialized);
    }

    /** Overrides James's {@code DefaultEventModule} binding of {@link EventSerializer}. */
    public static final class Module extends AbstractModule {
        @Provides
        @Singleton
        EventSerializer serializer(Provider<MailboxEventSerializer> james) {
            return new EventSerializerOnFirstUse(james);
        }
    }
}
