package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import javax.mail.Flags;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

/** The folder's cache of the header fields SEARCH looks at: when it answers, and when it reads again. */
class HeaderFieldCacheTest {

    private static final Date INTERNAL_DATE = Date.from(Instant.parse("2020-01-02T03:04:05Z"));
    private static final SearchedHeaderFields FROM_ANN = SearchedHeaderFields.of(List.of(Map.entry("From", "ann@example.com")));
    private static final SearchedHeaderFields FROM_BOB = SearchedHeaderFields.of(List.of(Map.entry("From", "bob@example.com")));

    @TempDir
    Path temp;

    private MaildirFolder folder;
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void createFolder() throws IOException {
        Path dir = temp.resolve("Maildir");
        Files.createDirectories(dir);
        folder = new MaildirFolder(dir, "testhost", Durability.UNWATCHED);
        folder.create(1795243169L);
    }

    private IndexEntry deliver() throws IOException {
        return folder.deliver(new ByteArrayInputStream("From: ann@example.com\r\n\r\nhi\r\n".getBytes(UTF_8)),
            new Flags(), INTERNAL_DATE, Optional.empty());
    }

    private MaildirFolder.HeaderFieldReader reading(SearchedHeaderFields fields) {
        return () -> {
            reads.incrementAndGet();
            return fields;
        };
    }

    @Test
    void aMessageReadOnceIsAnsweredWithoutReadingAgain() throws IOException {
        IndexEntry entry = deliver();

        folder.searchedHeaderFields(entry, reading(FROM_ANN));
        SearchedHeaderFields again = folder.searchedHeaderFields(entry, reading(FROM_BOB));

        assertThat(again.valuesOf("FROM")).containsExactly("ann@example.com");
        assertThat(reads).hasValue(1);
    }

    @Test
    void aMessageRenamedForItsFlagsIsStillAnsweredFromTheCache() throws IOException {
        IndexEntry entry = deliver();
        folder.searchedHeaderFields(entry, reading(FROM_ANN));
        UnaryOperator<Flags> seen = flags -> {
            Flags changed = new Flags(flags);
            changed.add(Flags.Flag.SEEN);
            return changed;
        };
        IndexEntry renamed = folder.updateFlags(entry.uid(), entry.uid(), seen).get(0).after();

        SearchedHeaderFields again = folder.searchedHeaderFields(renamed, reading(FROM_BOB));

        assertThat(renamed.fileName()).isNotEqualTo(entry.fileName());
        assertThat(again.valuesOf("from")).containsExactly("ann@example.com");
    }

    @Test
    void anotherFileUnderTheSameUidIsReadAgain() throws IOException {
        IndexEntry entry = deliver();
        folder.searchedHeaderFields(entry, reading(FROM_ANN));
        IndexEntry otherFile = new IndexEntry(entry.uid(), "1700000000.M1P1.otherhost,S=" + entry.size() + ":2,",
            false, entry.size(), entry.virtualSize(), entry.internalDate(), entry.modSeq());

        SearchedHeaderFields read = folder.searchedHeaderFields(otherFile, reading(FROM_BOB));

        assertThat(read.valuesOf("from")).containsExactly("bob@example.com");
    }

    @Test
    void anExpungedMessagesFieldsAreForgotten() throws IOException {
        IndexEntry entry = deliver();
        folder.searchedHeaderFields(entry, reading(FROM_ANN));

        folder.expunge(List.of(entry.uid()));

        assertThat(folder.headerFieldsKept()).isZero();
    }

    @Test
    void fieldsReadOfAMessageExpungedMeanwhileAreNotKept() throws IOException {
        IndexEntry entry = deliver();
        folder.expunge(List.of(entry.uid()));

        folder.searchedHeaderFields(entry, reading(FROM_ANN));

        assertThat(folder.headerFieldsKept()).isZero();
    }

    @Test
    void fieldsOfMessagesAnotherProgramExpungedAreDroppedOnceTheyOutnumberTheFolder() throws IOException {
        for (int i = 0; i < 70; i++) {
            folder.searchedHeaderFields(deliver(), reading(FROM_ANN));
        }
        try (var files = Files.list(folder.directory().resolve("new"))) {
            for (Path file : files.toList()) {
                Files.delete(file); // as another program's expunge would
            }
        }
        folder.sync();

        folder.searchedHeaderFields(deliver(), reading(FROM_ANN));

        assertThat(folder.headerFieldsKept()).isEqualTo(1);
    }

    @Test
    void onlyTheFieldsSearchLooksAtAreKeptEveryOccurrenceInOrder() {
        SearchedHeaderFields fields = SearchedHeaderFields.of(List.of(
            Map.entry("Subject", "one"), Map.entry("X-Mailer", "x"), Map.entry("SUBJECT", "two"), Map.entry("Cc", "c@d")));

        assertThat(fields.valuesOf("subject")).containsExactly("one", "two");
        assertThat(fields.valuesOf("cc")).containsExactly("c@d");
        assertThat(SearchedHeaderFields.covers("X-Mailer")).isFalse();
    }
}
