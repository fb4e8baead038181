package org.maildeck.assembly.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.events.Event;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventSerializer;
import org.apache.james.events.Group;
import org.maildeck.durability.Durability;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Mailbox events that a listener (quota updater, search index, ...) failed to handle, kept as
 * one JSON file per event under {@code <data>/event-dead-letters/<group>/<id>.json} so that they
 * can still be redelivered (WebAdmin {@code /events/deadLetter}) after a restart.
 *
 * <p>Each file is written to a temporary name, synced and renamed, so a crash leaves either the
 * whole event or none of it.</p>
 */
public class FileEventDeadLetters implements EventDeadLetters {

    private static final String SUFFIX = ".json";

    private final Path root;
    private final EventSerializer serializer;

    @Inject
    FileEventDeadLetters(@Named(DurableEventDeadLettersModule.DIRECTORY) Path root, EventSerializer serializer) {
        this.root = root;
        this.serializer = serializer;
    }

    @Override
    public Mono<InsertionId> store(Group registeredGroup, Event failDeliveredEvent) {
        InsertionId id = InsertionId.random();
        return blocking(() -> {
            Path groupDirectory = Files.createDirectories(groupDirectory(registeredGroup));
            byte[] json = serializer.toJsonBytes(failDeliveredEvent);
            Durability.UNWATCHED.writeAtomically(groupDirectory.resolve("." + id.asString() + ".tmp"), eventFile(registeredGroup, id), out -> out.write(json));
            return id;
        });
    }

    @Override
    public Mono<Void> remove(Group registeredGroup, InsertionId failDeliveredInsertionId) {
        return blocking(() -> Files.deleteIfExists(eventFile(registeredGroup, failDeliveredInsertionId))).then();
    }

    @Override
    public Mono<Void> remove(Group registeredGroup) {
        return blocking(() -> {
            Path groupDirectory = groupDirectory(registeredGroup);
            if (Files.isDirectory(groupDirectory)) {
                try (Stream<Path> files = Files.walk(groupDirectory)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
            return true;
        }).then();
    }

    @Override
    public Mono<Event> failedEvent(Group registeredGroup, InsertionId failDeliveredInsertionId) {
        return blocking(() -> {
            try {
                return serializer.fromBytes(Files.readAllBytes(eventFile(registeredGroup, failDeliveredInsertionId)));
            } catch (NoSuchFileException e) {
                return null;
            }
        });
    }

    @Override
    public Flux<InsertionId> failedIds(Group registeredGroup) {
        return blocking(() -> eventFiles(groupDirectory(registeredGroup)))
            .flatMapIterable(files -> files)
            .map(file -> InsertionId.of(stripSuffix(file.getFileName().toString())));
    }

    @Override
    public Flux<Group> groupsWithFailedEvents() {
        return blocking(this::groupDirectories)
            .flatMapIterable(directories -> directories)
            .filter(directory -> !eventFiles(directory).isEmpty())
            .map(directory -> deserialize(URLDecoder.decode(directory.getFileName().toString(), UTF_8)));
    }

    @Override
    public Mono<Boolean> containEvents() {
        return groupsWithFailedEvents().hasElements();
    }

    private Path groupDirectory(Group group) {
        // Group names are class names, or free text for generic groups: encoded to stay one
        // plain file name.
        return root.resolve(URLEncoder.encode(group.asString(), UTF_8));
    }

    private Path eventFile(Group group, InsertionId id) {
        return groupDirectory(group).resolve(id.asString() + SUFFIX);
    }

    private List<Path> groupDirectories() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }

    private static List<Path> eventFiles(Path groupDirectory) {
        if (!Files.isDirectory(groupDirectory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(groupDirectory)) {
            return entries.filter(file -> {
                String name = file.getFileName().toString();
                return name.endsWith(SUFFIX) && !name.startsWith(".");
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripSuffix(String fileName) {
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }

    private static Group deserialize(String serializedGroup) {
        try {
            return Group.deserialize(serializedGroup);
        } catch (Group.GroupDeserializationException e) {
            throw new IllegalStateException("dead letters of an unknown listener group: " + serializedGroup, e);
        }
    }

    private static <T> Mono<T> blocking(IoAction<T> action) {
        return Mono.fromCallable(action::run).subscribeOn(Schedulers.boundedElastic());
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }
}
