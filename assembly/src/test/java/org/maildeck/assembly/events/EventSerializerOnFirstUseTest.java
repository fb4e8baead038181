package org.maildeck.assembly.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Provider;

import org.apache.james.events.Event;
import org.apache.james.events.EventSerializer;
import org.junit.jupiter.api.Test;

class EventSerializerOnFirstUseTest {

    private final AtomicInteger built = new AtomicInteger();
    private final Provider<EventSerializer> serializers = () -> {
        built.incrementAndGet();
        return new FileEventDeadLettersTest.LineSerializer();
    };

    @Test
    void serializerIsNotBuiltBeforeAnEventIsWrittenOrRead() {
        new EventSerializerOnFirstUse(serializers);

        assertThat(built).hasValue(0);
    }

    @Test
    void serializerIsBuiltOnceAndServesBothDirections() {
        EventSerializer serializer = new EventSerializerOnFirstUse(serializers);
        Event event = FileEventDeadLettersTest.TestEvent.random();

        byte[] json = serializer.toJsonBytes(event);
        Event readBack = serializer.fromBytes(json);

        assertThat(readBack).isEqualTo(event);
        assertThat(serializer.asEvent(serializer.toJson(event))).isEqualTo(event);
        assertThat(built).hasValue(1);
    }
}
