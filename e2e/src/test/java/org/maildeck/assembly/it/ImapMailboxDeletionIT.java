package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IMAP DELETE of a folder (RFC 9051 §6.3.5) is answered once the folder is gone, and leaves no
 * listener of the deletion failing behind it: James's annotation listener once asked the store
 * for the annotations of the folder just removed, failed, was retried for half a minute while
 * the client waited, and ended in the dead letters.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapMailboxDeletionIT {

    private static final String DOMAIN = "deletion.maildeck.test";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @BeforeAll
    static void addTheDomain() {
        maildeck.domain(DOMAIN);
    }

    @Test
    void aDeletedFolderLeavesNoDeadLetter() throws IOException {
        String user = maildeck.newUser("deleting", DOMAIN);
        try (ImapClient imap = ImapClient.login("Maildeck", maildeck.port("imap"), user, TestServer.PASSWORD)) {
            imap.command("CREATE Projects");

            imap.command("DELETE Projects");

            assertThat(imap.send("SELECT Projects").tagged()).contains(" NO ");
        }
        assertThat(deadLettersAbout(user)).isEmpty();
    }

    @Test
    void aDeletedFolderWithMetadataLeavesNoDeadLetter() throws IOException {
        String user = maildeck.newUser("annotated", DOMAIN);
        try (ImapClient imap = ImapClient.login("Maildeck", maildeck.port("imap"), user, TestServer.PASSWORD)) {
            imap.command("CREATE Notes");
            imap.command("SETMETADATA Notes (/private/comment \"kept for the test\")");

            imap.command("DELETE Notes");

            assertThat(imap.send("GETMETADATA Notes /private/comment").tagged()).contains(" NO ");
        }
        assertThat(deadLettersAbout(user)).isEmpty();
    }

    /** The events about {@code user} stored as dead letters so far, of any listener group. */
    private static List<Path> deadLettersAbout(String user) throws IOException {
        Path root = maildeck.instance().data().resolve("event-dead-letters");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                .filter(file -> file.getFileName().toString().endsWith(".json"))
                .filter(file -> mentions(file, user))
                .toList();
        }
    }

    private static boolean mentions(Path file, String user) {
        try {
            return Files.readString(file).contains(user);
        } catch (IOException e) {
            return false; // retried and removed while we looked
        }
    }
}
