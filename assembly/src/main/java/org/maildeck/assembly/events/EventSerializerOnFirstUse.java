package org.maildeck.assembly.events;

import javax.inject.Provider;
import javax.inject.Singleton;

import org.apache.james.event.json.MailboxEventSerializer;
import org.apache.james.events.Event;
import org.apache.james.events.EventSerializer;

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

    private final Provider<? extends EventSerializer> serializers;
    private volatile EventSerializer serializer;

    EventSerializerOnFirstUse(Provider<? extends EventSerializer> serializers) {
        this.serializers = serializers;
    }

    @Override
    public String toJson(Event event) {
        return serializer().toJson(event);
    }

    @Override
    public byte[] toJsonBytes(Event event) {
        return serializer().toJsonBytes(event);
    }

    @Override
    public Event asEvent(String serialized) {
        return serializer().asEvent(serialized);
    }

    @Override
    public Event fromBytes(byte[] serialized) {
        return serializer().fromBytes(serialized);
    }

    private EventSerializer serializer() {
        EventSerializer built = serializer;
        if (built == null) {
            synchronized (this) {
                built = serializer;
                if (built == null) {
                    built = serializers.get();
                    serializer = built;
                }
            }
        }
        return built;
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
