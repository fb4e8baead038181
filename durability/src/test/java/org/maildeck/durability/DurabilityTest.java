package org.maildeck.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {

    @TempDir
    Path directory;

    @Test
    void writeAtomicallyReplacesTheTargetWithTheWholeContent() throws IOException {
        Path target = directory.resolve("event.json");
        Files.writeString(target, "old", UTF_8);

        Durability.UNWATCHED.writeAtomically(directory.resolve(".event.json.tmp"), target, out -> out.write("new".getBytes(UTF_8)));

        assertThat(target).hasContent("new");
        assertThat(directory.resolve(".event.json.tmp")).doesNotExist();
    }

    @Test
    void aFailedWriteLeavesTheOldTargetAndNoTemporary() throws IOException {
        Path target = directory.resolve("event.json");
        Files.writeString(target, "old", UTF_8);

        assertThatThrownBy(() -> Durability.UNWATCHED.writeAtomically(directory.resolve(".event.json.tmp"), target, out -> {
            out.write("half".getBytes(UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");

        assertThat(target).hasContent("old");
        assertThat(directory.resolve(".event.json.tmp")).doesNotExist();
    }

    @Test
    void aTemporaryInUseByAnotherWriterIsNotTaken() throws IOException {
        Path temporary = directory.resolve(".event.json.tmp");
        Files.writeString(temporary, "someone else's", UTF_8);

        assertThatThrownBy(() -> Durability.UNWATCHED.writeAtomically(temporary, directory.resolve("event.json"), out -> out.write('x')))
            .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(directory.resolve("event.json")).doesNotExist();
        assertThat(temporary).hasContent("someone else's");
    }

    @Test
    void writeAtomicallySyncsTheFileAndItsDirectoryForTheListener() throws IOException {
        List<Duration> fsyncs = new ArrayList<>();

        new Durability(fsyncs::add).writeAtomically(directory.resolve(".a.tmp"), directory.resolve("a"), out -> out.write('x'));

        assertThat(fsyncs).hasSize(2);
    }
}
