package org.maildeck.mailets.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class RelayDecisionTest {

    @Test
    void theGrantedRecipientsAreReadBackAsRecorded() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        RelayDecision.recordGranted(mail, List.of(new MailAddress("bob@remote.example"), new MailAddress("carol@other.example")));

        assertThat(RelayDecision.grantedRecipients(mail)).containsExactlyInAnyOrder("bob@remote.example", "carol@other.example");
    }

    @Test
    void mailWithoutARecordGrantsNobody() throws Exception {
        assertThat(RelayDecision.grantedRecipients(FakeMail.builder().name("m").build())).isEmpty();
    }

    @Test
    void howTheClientWasTrustedIsReadBack() throws Exception {
        Mail mail = FakeMail.builder().name("m").build();

        RelayDecision.recordTrustedClient(mail, "in a trusted network");

        assertThat(RelayDecision.trustedClient(mail)).contains("in a trusted network");
    }
}
