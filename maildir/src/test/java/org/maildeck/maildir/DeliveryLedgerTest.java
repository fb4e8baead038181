package org.maildeck.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class DeliveryLedgerTest {

    @TempDir
    Path folder;

    private final AtomicInteger fsyncs = new AtomicInteger();
    private final Durability durability = new Durability(took -> fsyncs.incrementAndGet());

    @Test
    void recordingSyncsNothing() throws IOException {
        DeliveryLedger ledger = new DeliveryLedger(folder, durability);
        ledger.record(Map.of("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10"));
        ledger.record(Map.of("Mail2 alice@example.com INBOX <c@d>", "1795.M3P2.host,S=10"));

        assertThat(fsyncs).hasValue(0);
    }

    @Test
    void severalRecordsAreFoundAfterOneWrite() throws IOException {
        Map<String, String> batch = new LinkedHashMap<>();
        batch.put("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10");
        batch.put("Mail2 bob@example.com INBOX <a@b>", "1795.M3P2.host,S=10");
        new DeliveryLedger(folder, durability).record(batch);

        DeliveryLedger reread = new DeliveryLedger(folder, durability);
        assertThat(reread.baseFor("Mail1 alice@example.com INBOX <a@b>")).contains("1795.M1P2.host,S=10");
        assertThat(reread.baseFor("Mail2 bob@example.com INBOX <a@b>")).contains("1795.M3P2.host,S=10");
    }

    @Test
    void aLastLineCutShortByAKillIsIgnored() throws IOException {
        Files.writeString(folder.resolve(DeliveryLedger.FILE_NAME), "Mail1 a INBOX\t1795.M1P2.host,S=10\nMail2 a INBOX\t1795.M3P2.ho");

        DeliveryLedger reread = new DeliveryLedger(folder, durability);
        assertThat(reread.baseFor("Mail1 a INBOX")).contains("1795.M1P2.host,S=10");
        assertThat(reread.baseFor("Mail2 a INBOX")).isEmpty();
    }

    @Test
    void aRecordAfterALineCutShortStartsOnALineOfItsOwn() throws IOException {
        Files.writeString(folder.resolve(DeliveryLedger.FILE_NAME), "Mail1 a INBOX\t1795.M1P2.host,S=10\nMail2 a INBOX\t1795.M3P2.ho");
        new DeliveryLedger(folder, durability).record(Map.of("Mail3 a INBOX", "1795.M4P2.host,S=10"));

        assertThat(new DeliveryLedger(folder, durability).baseFor("Mail3 a INBOX")).contains("1795.M4P2.host,S=10");
    }

    @Test
    void aRecordedDeliveryIsFoundByANewLedgerOnTheSameFolder() throws IOException {
        new DeliveryLedger(folder, durability).record(Map.of("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10"));

        assertThat(new DeliveryLedger(folder, durability).baseFor("Mail1 alice@example.com INBOX <a@b>"))
            .contains("1795.M1P2.host,S=10");
    }

    @Test
    void aKeyWhoseDigestIsInTheOlderFormIsKnownByItsLeadingWords() throws IOException {
        Files.writeString(folder.resolve(DeliveryLedger.FILE_NAME), "Mail1 alice@example.com INBOX 0123456789abcdef\t1795.M1P2.host,S=10\n");

        DeliveryLedger ledger = new DeliveryLedger(folder, durability);
        assertThat(ledger.mayHoldOlderFormOf("Mail1 alice@example.com INBOX c89abcdef.4409")).isTrue();
        assertThat(ledger.mayHoldOlderFormOf("Mail2 alice@example.com INBOX c89abcdef.4409")).isFalse();
    }

    @Test
    void keysInTheCurrentFormAreNotTakenForTheOlderForm() throws IOException {
        new DeliveryLedger(folder, durability).record(Map.of("Mail1 alice@example.com INBOX c89abcdef.4409", "1795.M1P2.host,S=10"));

        assertThat(new DeliveryLedger(folder, durability).mayHoldOlderFormOf("Mail1 alice@example.com INBOX c01234567.4409")).isFalse();
    }
}
