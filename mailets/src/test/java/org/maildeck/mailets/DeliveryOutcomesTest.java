package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import org.maildeck.contentfilter.ScanReport;
import org.maildeck.contentfilter.ScannerVerdict;
import org.slf4j.event.Level;

class DeliveryOutcomesTest {

    private static final Instant ARRIVED = Instant.parse("2026-12-06T10:00:00Z");
    private static final Instant NOW = ARRIVED.plusMillis(1250);

    private final List<String> lines = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private final MaildirDeliveryCounters local = new MaildirDeliveryCounters();
    private final ContentFilterCounters filter = new ContentFilterCounters();
    private final StatusCounts statuses = new StatusCounts();
    private final DeliveryOutcomes outcomes = new DeliveryOutcomes(local, filter, statuses, (level, line) -> {
        levels.add(level);
        lines.add(line);
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aLocalDeliveryIsLoggedWithItsFolderUidAndDelay() throws Exception {
        outcomes.delivered(Hop.maildir(mail("alice@example.org"), "INBOX"), new MailAddress("alice@example.org"), "uid=12, size=2048", 2100);

        assertThat(lines).containsExactly("Mail1: to=<alice@example.org>, folder=INBOX, relay=maildir, delay=1.25, uid=12, size=2048, status=delivered");
    }

    @Test
    void aLocalDeliveryCountsTheCopyAndItsStoredBytes() throws Exception {
        outcomes.delivered(Hop.maildir(mail("alice@example.org"), "INBOX"), new MailAddress("alice@example.org"), "uid=12, size=2048", 2100);

        assertThat(List.of(local.delivered(), local.deliveredBytes())).containsExactly(1L, 2100L);
    }

    @Test
    void aCopyStoredBeforeTheRestartIsLoggedAsDeliveredButNotCountedAgain() throws Exception {
        outcomes.deliveredBeforeRestart(Hop.maildir(mail("alice@example.org"), "Junk"), new MailAddress("alice@example.org"), "uid=3, size=10");

        assertThat(lines).containsExactly(
            "Mail1: to=<alice@example.org>, folder=Junk, relay=maildir, delay=1.25, uid=3, size=10, status=delivered (stored before the restart)");
        assertThat(local.delivered()).isZero();
    }

    @Test
    void aFullMailboxIsABounceCountedAsOverQuota() throws Exception {
        outcomes.bounced(Hop.maildir(mail("alice@example.org"), "-"), "alice@example.org", "mailbox full: quota exceeded");

        assertThat(lines).containsExactly(
            "Mail1: to=<alice@example.org>, folder=-, relay=maildir, delay=1.25, status=bounced (mailbox full: quota exceeded)");
        assertThat(local.bouncedOverQuota()).isOne();
    }

    @Test
    void aLocalDeferralNamesWhereTheMailGoesAndIsCounted() throws Exception {
        outcomes.deferred(Hop.maildir(mail("alice@example.org"), "-"), "alice@example.org", "disk full", Optional.of("to processor error"));

        assertThat(lines).containsExactly(
            "Mail1: to=<alice@example.org>, folder=-, relay=maildir, delay=1.25, status=deferred (disk full), to processor error");
        assertThat(local.deferred()).isOne();
    }

    @Test
    void aRemoteDeferralIsNotCountedAsALocalOne() throws Exception {
        outcomes.deferred(Hop.remote("Mail1", "none", ARRIVED), "bob@remote.example", "connect to mx[192.0.2.25]:25: Connection refused",
            Optional.empty());

        assertThat(lines).containsExactly(
            "Mail1: to=<bob@remote.example>, relay=none, delay=1.25, status=deferred (connect to mx[192.0.2.25]:25: Connection refused)");
        assertThat(local.deferred()).isZero();
    }

    @Test
    void aRemoteServerTakingTheMailIsLoggedAsSentWithItsReply() {
        outcomes.sent(Hop.remote("Mail1", "mx.remote.example[192.0.2.25]:25", ARRIVED), "bob@remote.example", "250 2.0.0 Ok");

        assertThat(lines).containsExactly(
            "Mail1: to=<bob@remote.example>, relay=mx.remote.example[192.0.2.25]:25, delay=1.25, status=sent (250 2.0.0 Ok)");
    }

    @Test
    void aRemoteBounceIsNotCountedAsAFullMailbox() {
        outcomes.bounced(Hop.remote("Mail1", "mx.remote.example[192.0.2.25]:25", ARRIVED), "eve@remote.example", "550 5.1.1 User unknown");

        assertThat(local.bouncedOverQuota()).isZero();
    }

    @Test
    void mailKeptByTheContentFilterGetsOneLinePerRecipientWithItsQuarantineId() throws Exception {
        outcomes.keptByContentFilter(mail("alice@example.org", "bob@example.org"), false, Category.VIRUS, "Eicar", Optional.of("virus-x1"));

        assertThat(lines).containsExactly(
            "Mail1: to=<alice@example.org>, relay=content-filter, status=discarded (virus: Eicar), quarantine=virus-x1",
            "Mail1: to=<bob@example.org>, relay=content-filter, status=discarded (virus: Eicar), quarantine=virus-x1");
    }

    @Test
    void mailKeptByTheContentFilterWithTheSenderToldIsBouncedAndWithoutQuarantineNamesNone() throws Exception {
        outcomes.keptByContentFilter(mail("alice@example.org"), true, Category.BANNED, "a.zip/setup.exe: name matches *.exe", Optional.empty());

        assertThat(lines).containsExactly(
            "Mail1: to=<alice@example.org>, relay=content-filter, status=bounced (banned: a.zip/setup.exe: name matches *.exe)");
    }

    @Test
    void spamKeptFromItsRecipientsCountsOnceAsKilled() throws Exception {
        outcomes.keptByContentFilter(mail("alice@example.org", "bob@example.org"), false, Category.SPAM, "score=1003.3", Optional.empty());

        assertThat(filter.spamKilled()).isOne();
    }

    @Test
    void milterDecisionIsOneLineUnderTheMtasQueueId() throws Exception {
        outcomes.milterDecision(mail("alice@example.org", "bob@example.org"), "reject", "client.example[192.0.2.7]",
            "554 5.7.0 Virus found: Eicar", Optional.of(Category.VIRUS), Optional.of("virus-x1"));

        assertThat(lines).containsExactly("Mail1: milter-reject: END-OF-MESSAGE from client.example[192.0.2.7]: 554 5.7.0 Virus found: Eicar; "
            + "from=<sender@example.org> nrcpt=2, quarantine=virus-x1");
    }

    @Test
    void spamTheMilterKeptFromItsRecipientsCountsAsKilled() throws Exception {
        outcomes.milterDecision(mail("alice@example.org"), "discard", "client.example[192.0.2.7]", "spam: score=1003.3",
            Optional.of(Category.SPAM), Optional.empty());

        assertThat(filter.spamKilled()).isOne();
    }

    @Test
    void aVirusKeptFromItsRecipientsIsNotCountedAsSpam() throws Exception {
        outcomes.keptByContentFilter(mail("alice@example.org"), false, Category.VIRUS, "Eicar", Optional.empty());

        assertThat(filter.spamKilled()).isZero();
    }

    @Test
    void anUndeliverableRecipientIsAWarningNamingWhereTheMailIsKept() throws Exception {
        outcomes.undeliverable(Hop.none(mail("postmaster@example.org")), new MailAddress("postmaster@example.org"), "no address for the postmaster",
            "kept in processor error");

        assertThat(lines).containsExactly(
            "Mail1: to=<postmaster@example.org>, relay=none, status=undeliverable (no address for the postmaster), kept in processor error");
        assertThat(levels).containsExactly(Level.WARN);
    }

    @Test
    void anExpiredMailIsReturnedToItsSender() throws Exception {
        outcomes.expired(mail("bob@remote.example"));

        assertThat(lines).containsExactly("Mail1: from=<sender@example.org>, status=expired, returned to sender");
    }

    @Test
    void anExpiredMailFromTheNullSenderIsNotReturned() throws Exception {
        Mail bounce = FakeMail.builder().name("Mail1").sender(MaybeSender.nullSender()).recipient("bob@remote.example").build();

        outcomes.expired(bounce);

        assertThat(lines).containsExactly("Mail1: from=<>, status=expired, not returned (null sender)");
    }

    @Test
    void aMailDeferredAsAWholeNamesItsRetryAndAttempt() throws Exception {
        outcomes.deferred(mail("alice@example.org"), "clamd: connection refused", "2m", 3);

        assertThat(lines).containsExactly("Mail1: deferred (clamd: connection refused), retry in 2m, attempt 3");
    }

    @Test
    void usedUpRetriesAreAWarningNamingTheProcessorThatKeepsTheMail() throws Exception {
        outcomes.retriesExhausted(mail("alice@example.org"), "clamd: connection refused", 100, "error");

        assertThat(lines).containsExactly("Mail1: deferred (clamd: connection refused) 100 times, giving up: to processor error");
        assertThat(levels).containsExactly(Level.WARN);
    }

    @Test
    void aQueuedMailIsLoggedWithItsClientLoginAndMessageId() throws Exception {
        outcomes.queued(mail("alice@example.org", "bob@example.org"), 912, "unknown[192.0.2.7]", Optional.of("alice@example.org"),
            Optional.of("<x@example.org>"));

        assertThat(lines).containsExactly("Mail1: from=<sender@example.org>, size=912, nrcpt=2, client=unknown[192.0.2.7], "
            + "sasl_username=alice@example.org, message-id=<x@example.org>");
    }

    @Test
    void aQueuedMailWithoutLoginOrMessageIdLeavesThoseFieldsOut() throws Exception {
        outcomes.queued(mail("alice@example.org"), 912, "unknown[192.0.2.7]", Optional.empty(), Optional.empty());

        assertThat(lines).containsExactly("Mail1: from=<sender@example.org>, size=912, nrcpt=1, client=unknown[192.0.2.7]");
    }

    @Test
    void aScanIsLoggedWithEachScannersVerdictAndItsTime() throws Exception {
        outcomes.scanned(mail("alice@example.org"), new ScanReport(List.of(new ScannerVerdict.Infected("clamav", "ClamAV 1.0", "Eicar"),
            new ScannerVerdict.Scored("spamd", "SpamAssassin", 1.25, 5.0, List.of("GTUBE", "MISSING_DATE"))), Duration.ofMillis(123)));

        assertThat(lines).containsExactly("Mail1: scan: clamav=infected (Eicar), spamd=score 1.3 (GTUBE,MISSING_DATE), time=0.123");
    }

    @Test
    void aScanIsCounted() throws Exception {
        outcomes.scanned(mail("alice@example.org"), new ScanReport(List.of(new ScannerVerdict.Clean("clamav", "ClamAV 1.0")), Duration.ofMillis(5)));

        assertThat(List.of(filter.scanned(), filter.clean())).containsExactly(1L, 1L);
    }

    @Test
    void mailPassedWithoutASpamScoreIsAWarningWithTheCountSinceStart() throws Exception {
        outcomes.passedUncheckedForSpam(mail("alice@example.org"), "spamd: connection refused");
        outcomes.passedUncheckedForSpam(mail("alice@example.org"), "spamd: connection refused");

        assertThat(lines).last().isEqualTo(
            "Mail1: warning: not checked for spam (spamd: connection refused): onSpamdFailure=pass, unchecked since start: 2");
        assertThat(levels).containsOnly(Level.WARN);
    }

    @Test
    void spamRefusedInTheSessionIsCountedAsKilledWithoutALineOfItsOwn() {
        outcomes.refusedInSession(Category.SPAM);

        assertThat(filter.spamKilled()).isOne();
        assertThat(lines).isEmpty();
    }

    private static Mail mail(String... recipients) throws MessagingException {
        return FakeMail.builder().name("Mail1").sender("sender@example.org").recipients(recipients).lastUpdated(Date.from(ARRIVED)).build();
    }

    @Test
    void eachRecipientLineCountsItsStatusLocalOrRemote() throws Exception {
        outcomes.bounced(Hop.remote("Mail1", "mx.remote.example[192.0.2.25]:25", ARRIVED), "eve@remote.example", "550 5.1.1 User unknown");
        outcomes.bounced(Hop.maildir(mail("alice@example.org"), "-"), "alice@example.org", "mailbox full: quota exceeded");
        outcomes.sent(Hop.remote("Mail1", "mx.remote.example[192.0.2.25]:25", ARRIVED), "bob@remote.example", "250 2.0.0 Ok");

        assertThat(List.of(statuses.count(StatusCounts.Status.BOUNCED), statuses.count(StatusCounts.Status.SENT),
            statuses.count(StatusCounts.Status.DELIVERED))).containsExactly(2L, 1L, 0L);
    }

    @Test
    void mailKeptByTheContentFilterCountsAStatusPerRecipient() throws Exception {
        outcomes.keptByContentFilter(mail("alice@example.org", "bob@example.org"), false, Category.VIRUS, "Eicar", Optional.empty());

        assertThat(statuses.count(StatusCounts.Status.DISCARDED)).isEqualTo(2);
    }

    @Test
    void aCopyStoredBeforeTheRestartIsNotCountedAsDeliveredAgain() throws Exception {
        outcomes.deliveredBeforeRestart(Hop.maildir(mail("alice@example.org"), "INBOX"), new MailAddress("alice@example.org"), "uid=3, size=10");

        assertThat(statuses.count(StatusCounts.Status.DELIVERED)).isZero();
    }

    @Test
    void timesAreWrittenWithFixedDecimalsAsPrintfWouldWriteThem() {
        assertThat(List.of(DeliveryOutcomes.fixedPoint(125, 2), DeliveryOutcomes.fixedPoint(5, 3), DeliveryOutcomes.fixedPoint(0, 2),
            DeliveryOutcomes.fixedPoint(123456, 3), DeliveryOutcomes.fixedPoint(-7, 2)))
            .containsExactly("1.25", "0.005", "0.00", "123.456", "-0.07");
    }
}
