package org.maildeck.contentfilter.quarantine;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {
    private static final String MESSAGE = "Subject: caught\r\n\r\nX5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR\r\n";

    @TempDir
    Path home;

    private EntityManagerFactory factory;

    @AfterEach
    void closeDatabase() {
        if (factory != null) {
            factory.close();
        }
        shutdownDerby();
    }

    @Test
    void storedMessageIsIndexedWithItsEnvelopeAndReadBackByteForByte() throws IOException {
        Quarantine quarantine = open(Instant.parse("2026-11-21T10:00:00Z"));

        QuarantineEntry entry = quarantine.put("virus", "Eicar-Signature", "eve@remote.example",
            List.of("alice@local.example", "bob@local.example"), out -> out.write(MESSAGE.getBytes(US_ASCII)));

        assertThat(entry.id()).matches("virus-[A-Za-z0-9]{12}");
        assertThat(quarantine.find(entry.id())).contains(new QuarantineEntry(entry.id(), Instant.parse("2026-11-21T10:00:00Z"),
            "virus", "Eicar-Signature", "eve@remote.example", List.of("alice@local.example", "bob@local.example"), MESSAGE.length()));
        try (InputStream in = quarantine.open(entry.id()).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo(MESSAGE);
        }
    }

    @Test
    void entriesSurviveAReopenedDatabase() throws IOException {
        QuarantineEntry entry = open(Instant.now()).put("banned", "setup.exe: name matches *.exe", "",
            List.of("alice@local.example"), out -> out.write(MESSAGE.getBytes(US_ASCII)));
        factory.close();
        shutdownDerby();

        Quarantine reopened = open(Instant.now());

        assertThat(reopened.list()).extracting(QuarantineEntry::id).containsExactly(entry.id());
        assertThat(reopened.find(entry.id()).orElseThrow().sender()).isEmpty();
    }

    @Test
    void holdingsCountMessagesBytesAndTheOldestTimePerCategory() throws IOException {
        Quarantine early = open(Instant.parse("2026-01-01T00:00:00Z"));
        early.put("virus", "a", "x@remote.example", List.of("alice@local.example"), out -> out.write(new byte[10]));
        Quarantine later = new Quarantine(home.resolve("quarantine"), factory, Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
        later.put("virus", "b", "x@remote.example", List.of("alice@local.example"), out -> out.write(new byte[32]));
        later.put("spam", "score=1000", "x@remote.example", List.of("alice@local.example"), out -> out.write(new byte[5]));

        assertThat(later.holdings()).containsOnly(
            Map.entry("virus", new Quarantine.Holding(2, 42, Instant.parse("2026-01-01T00:00:00Z"))),
            Map.entry("spam", new Quarantine.Holding(1, 5, Instant.parse("2026-06-01T00:00:00Z"))));
    }

    @Test
    void holdingsAreReadFromTheIndexOnceUntilTheQuarantineChanges() throws IOException {
        open(Instant.now());
        AtomicInteger transactions = new AtomicInteger();
        Quarantine quarantine = new Quarantine(home.resolve("quarantine"), counting(factory, transactions), Clock.systemUTC());
        quarantine.put("virus", "a", "x@remote.example", List.of("alice@local.example"), out -> out.write(new byte[10]));

        quarantine.holdings();
        int afterFirstRead = transactions.get();
        quarantine.holdings();
        quarantine.holdings();

        assertThat(transactions.get()).as("database transactions for two more reads").isEqualTo(afterFirstRead);
    }

    @Test
    void holdingsReadBeforeAPutOrADeleteShowIt() throws IOException {
        Quarantine quarantine = open(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(quarantine.holdings()).isEmpty();

        QuarantineEntry entry = quarantine.put("virus", "a", "x@remote.example", List.of("alice@local.example"), out -> out.write(new byte[10]));
        assertThat(quarantine.holdings()).containsOnly(Map.entry("virus", new Quarantine.Holding(1, 10, Instant.parse("2026-01-01T00:00:00Z"))));

        quarantine.delete(entry.id());
        assertThat(quarantine.holdings()).isEmpty();
    }

    @Test
    void anEmptyQuarantineHoldsNothing() {
        assertThat(open(Instant.now()).holdings()).isEmpty();
    }

    @Test
    void listIsOldestFirst() throws IOException {
        Quarantine early = open(Instant.parse("2026-01-01T00:00:00Z"));
        QuarantineEntry first = early.put("virus", "a", "x@remote.example", List.of("alice@local.example"), out -> out.write('a'));
        Quarantine later = new Quarantine(home.resolve("quarantine"), factory, Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
        QuarantineEntry second = later.put("virus", "b", "x@remote.example", List.of("alice@local.example"), out -> out.write('b'));

        assertThat(later.list()).extracting(QuarantineEntry::id).containsExactly(first.id(), second.id());
    }

    @Test
    void deleteRemovesTheEntryAndItsFile() throws IOException {
        Quarantine quarantine = open(Instant.now());
        QuarantineEntry entry = quarantine.put("virus", "x", "", List.of("alice@local.example"), out -> out.write('x'));

        assertThat(quarantine.delete(entry.id())).isTrue();

        assertThat(quarantine.find(entry.id())).isEmpty();
        assertThat(home.resolve("quarantine/virus/" + entry.id())).doesNotExist();
        assertThat(quarantine.delete(entry.id())).isFalse();
    }

    @Test
    void idsThatAreNotQuarantineIdsFindNothing() throws IOException {
        Quarantine quarantine = open(Instant.now());
        Files.writeString(home.resolve("secret"), "not for you");

        for (String id : List.of("../secret", "virus-../../secr", "virus/../../secret", "VIRUS-abcdefghijkl", "", "virus-abc")) {
            assertThat(quarantine.find(id)).as(id).isEmpty();
            assertThat(quarantine.open(id)).as(id).isEmpty();
        }
    }

    @Test
    void aFailedWriteLeavesNeitherFileNorEntry() {
        Quarantine quarantine = open(Instant.now());

        assertThatThrownBy(() -> quarantine.put("virus", "x", "", List.of("alice@local.example"), out -> {
            out.write("partial".getBytes(US_ASCII));
            throw new IOException("message unreadable");
        })).hasMessageContaining("message unreadable");

        assertThat(quarantine.list()).isEmpty();
        assertThat(home.resolve("quarantine/virus")).isEmptyDirectory();
    }

    @Test
    void categoriesAreCheckedBeforeTheyBecomeFolders() {
        Quarantine quarantine = open(Instant.now());

        assertThatThrownBy(() -> quarantine.put("../etc", "x", "", List.of(), out -> out.write('x')))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private Quarantine open(Instant now) {
        factory = Persistence.createEntityManagerFactory("quarantine-test",
            Map.of("openjpa.ConnectionURL", "jdbc:derby:" + home.resolve("derby") + ";create=true"));
        return new Quarantine(home.resolve("quarantine"), factory, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The same factory, counting the entity managers made: one per transaction of the quarantine. */
    private static EntityManagerFactory counting(EntityManagerFactory factory, AtomicInteger made) {
        return (EntityManagerFactory) Proxy.newProxyInstance(QuarantineTest.class.getClassLoader(), new Class<?>[] {EntityManagerFactory.class},
            (proxy, method, arguments) -> {
                if (method.getName().equals("createEntityManager")) {
                    made.incrementAndGet();
                }
                try {
                    return method.invoke(factory, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    private void shutdownDerby() {
        try {
            DriverManager.getConnection("jdbc:derby:" + home.resolve("derby") + ";shutdown=true");
        } catch (SQLException expected) {
            // Derby reports a successful shutdown as an exception
        }
    }
}
