package org.maildeck.mailets.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class QueueArrivalTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");

    private static FakeMail receivedMail() throws MessagingException {
        FakeMail mail = FakeMail.builder().name("Mail-1").build();
        mail.setLastUpdated(Date.from(RECEIVED));
        return mail;
    }

    @Test
    void aMailNeverNotedHasNoArrival() throws MessagingException {
        assertThat(QueueArrival.of(receivedMail())).isEmpty();
    }

    @Test
    void theFirstNoteIsTheMailsReception() throws MessagingException {
        FakeMail mail = receivedMail();

        assertThat(QueueArrival.note(mail)).isEqualTo(RECEIVED);
        assertThat(QueueArrival.of(mail)).contains(RECEIVED);
    }

    @Test
    void aRetryThatMovesTheLastUpdatedDateKeepsTheFirstArrival() throws MessagingException {
        FakeMail mail = receivedMail();
        QueueArrival.note(mail);

        mail.setLastUpdated(Date.from(RECEIVED.plusSeconds(3600)));

        assertThat(QueueArrival.note(mail)).isEqualTo(RECEIVED);
    }
}
