package org.maildeck.assembly.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventDeadLetters.InsertionId;
import org.apache.james.events.EventSerializer;
import org.apache.james.events.Group;
import org.apache.james.mailbox.events.GenericGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileEventDeadLettersTest {

    private static final Group QUOTA_GROUP = new GenericGroup("quota updater/with odd:chars");
    private static final Group SEARCH_GROUP = new GenericGroup("search");

    @TempDir
    Path data;

    private FileEventDeadLetters deadLetters() {
        return new FileEventDeadLetters(data.resolve("event-dead-letters"), new LineSerializer());
    }

    @Test
    void storedEventIsReadBackByItsId() {
        TestEvent event = new TestEvent(Event.EventId.random(), Username.of("alice@example.test"));
        InsertionId id = deadLetters().store(QUOTA_GROUP, event).block();

        assertThat(deadLetters().failedEvent(QUOTA_GROUP, id).block()).isEqualTo(event);
    }

    @Test
    void storedEventsSurviveANewInstance() {
        TestEvent event = new TestEvent(Event.EventId.random(), Username.of("bob@example.test"));
        InsertionId id = deadLetters().store(SEARCH_GROUP, event).block();

        FileEventDeadLetters afterRestart = deadLetters();
        assertThat(afterRestart.failedIds(SEARCH_GROUP).collectList().block()).containsExactly(id);
        assertThat(afterRestart.groupsWithFailedEvents().collectList().block()).containsExactly(SEARCH_GROUP);
        assertThat(afterRestart.containEvents().block()).isTrue();
    }

    @Test
    void groupsAreKeptApart() {
        InsertionId quotaId = deadLetters().store(QUOTA_GROUP, TestEvent.random()).block();
        InsertionId searchId = deadLetters().store(SEARCH_GROUP, TestEvent.random()).block();

        assertThat(deadLetters().failedIds(QUOTA_GROUP).collectList().block()).containsExactly(quotaId);
        assertThat(deadLetters().failedIds(SEARCH_GROUP).collectList().block()).containsExactly(searchId);
        assertThat(deadLetters().groupsWithFailedEvents().collectList().block())
            .containsExactlyInAnyOrder(QUOTA_GROUP, SEARCH_GROUP);
    }

    @Test
    void removedEventIsGone() {
        InsertionId id = deadLetters().store(QUOTA_GROUP, TestEvent.random()).block();

        deadLetters().remove(QUOTA_GROUP, id).block();

        assertThat(deadLetters().failedEvent(QUOTA_GROUP, id).blockOptional()).isEmpty();
        assertThat(deadLetters().containEvents().block()).isFalse();
        assertThat(deadLetters().groupsWithFailedEvents().collectList().block()).isEmpty();
    }

    @Test
    void removingAGroupRemovesOnlyItsEvents() {
        deadLetters().store(QUOTA_GROUP, TestEvent.random()).block();
        InsertionId searchId = deadLetters().store(SEARCH_GROUP, TestEvent.random()).block();

        deadLetters().remove(QUOTA_GROUP).block();

        assertThat(deadLetters().failedIds(QUOTA_GROUP).collectList().block()).isEmpty();
        assertThat(deadLetters().failedIds(SEARCH_GROUP).collectList().block()).containsExactly(searchId);
    }

    @Test
    void noTemporaryFileIsLeftAfterAStore() throws Exception {
        deadLetters().store(QUOTA_GROUP, TestEvent.random()).block();

        try (var files = Files.walk(data)) {
            assertThat(files.map(Path::getFileName).map(Path::toString).filter(name -> name.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void unknownIdHasNoEvent() {
        assertThat(deadLetters().failedEvent(QUOTA_GROUP, InsertionId.random()).blockOptional()).isEmpty();
    }

    record TestEvent(EventId getEventId, Username getUsername) implements Event {
        static TestEvent random() {
            return new TestEvent(EventId.random(), Username.of("user@example.test"));
        }

        @Override
        public boolean isNoop() {
            return false;
        }
    }

    /** "eventId user", enough to show that the stored bytes are the serializer's. */
    static class LineSerializer implements EventSerializer {
        @Override
        public String toJson(Event event) {
            return event.getEventId().getId() + " " + event.getUsername().asString();
        }

        @Override
        public Event asEvent(String serialized) {
            String[] parts = serialized.split(" ");
            return new TestEvent(Event.EventId.of(parts[0]), Username.of(parts[1]));
        }
    }
}
