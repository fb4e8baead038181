package org.maildeck.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLedgerTest {

    @TempDir
    Path folder;

    private final AtomicInteger fsyncs = new AtomicInteger();
    private final Durability durability = new Durability(took -> fsyncs.incrementAndGet());

    @Test
    void theFirstRecordSyncsTheNewFileAndItsDirectory() throws IOException {
        new DeliveryLedger(folder, durability).record("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10");

        assertThat(fsyncs).hasValue(2);
    }

    @Test
    void laterRecordsSyncOnlyTheFile() throws IOException {
        DeliveryLedger ledger = new DeliveryLedger(folder, durability);
        ledger.record("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10");
        fsyncs.set(0);

        ledger.record("Mail2 alice@example.com INBOX <c@d>", "1795.M3P2.host,S=10");

        assertThat(fsyncs).hasValue(1);
    }

    @Test
    void aRecordedDeliveryIsFoundByANewLedgerOnTheSameFolder() throws IOException {
        new DeliveryLedger(folder, durability).record("Mail1 alice@example.com INBOX <a@b>", "1795.M1P2.host,S=10");

        assertThat(new DeliveryLedger(folder, durability).baseFor("Mail1 alice@example.com INBOX <a@b>"))
            .contains("1795.M1P2.host,S=10");
    }
}
