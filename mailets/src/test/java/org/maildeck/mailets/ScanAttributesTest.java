package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class ScanAttributesTest {

    @Test
    void aSpamScoreIsKeptWithOneDecimalAsTheHeadersShowIt() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        ScanAttributes.recordSpamScore(mail, 1003.27, List.of("GTUBE", "MISSING_DATE"));

        assertThat(ScanAttributes.spamScore(mail)).contains(1003.3);
    }

    @Test
    void theSpamRulesAreKeptCommaSeparated() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        ScanAttributes.recordSpamScore(mail, 5.0, List.of("GTUBE", "MISSING_DATE"));

        assertThat(ScanAttributes.spamSymbols(mail)).contains("GTUBE,MISSING_DATE");
    }

    @Test
    void aClearedFailureIsGone() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();
        ScanAttributes.recordFailure(mail, "clamd: connection refused");

        ScanAttributes.clearFailure(mail);

        assertThat(ScanAttributes.failure(mail)).isEmpty();
    }

    @Test
    void theReleaseMarkOfARebuiltMailNamesTheCategory() throws Exception {
        Mail mail = FakeMail.builder().name("m").attribute(ScanAttributes.releasedFrom("virus")).build();

        assertThat(ScanAttributes.releasedFrom(mail)).contains("virus");
    }

    @Test
    void aVirusRecordedIsTheFindingOfTheVirusCategory() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        ScanAttributes.recordVirus(mail, "Eicar-Signature");

        assertThat(Category.VIRUS.finding(mail)).isEqualTo("Eicar-Signature");
    }
}
