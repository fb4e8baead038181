package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.antispam.SpamdProcess;

/**
 * Spam scoring in the pipeline against the instance's real spamd (shipped rules, network tests
 * off): levels per recipient, the X-Spam headers, delivery into Junk, the kill destiny with
 * quarantine, spam lovers, and the pass policy when spamd is down. Mail comes from 127.0.0.2,
 * outside the trusted networks, whose mail is not scored.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpamFilterIT {

    private static final String DOMAIN = "spam.maildeck.test";
    /** Global levels: 2.0 5.0 20.0; GTUBE (1000) is killed. */
    private static final String USER = "dora@" + DOMAIN;
    private static final String CONTENT_FILTER = "org.maildeck:type=ContentFilter";
    /** Never killed: spam lands in Junk. */
    private static final String JUNK_USER = "junky@" + DOMAIN;
    /** Tagged from any score. */
    private static final String TAGGED_USER = "tagged@" + DOMAIN;
    /** A spam lover: marked, never killed. */
    private static final String LOVER = "lover@" + DOMAIN;
    /** Moves mail in and out of Junk over IMAP. */
    private static final String LEARNER = "learner@" + DOMAIN;
    private static final String PASSWORD = "Spam-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.createWithSpamd((fileName, content) -> fileName.equals("contentfilter.properties")
            ? content.replaceFirst("(?m)^spam\\.lovers=.*$", "spam.lovers=" + LOVER)
                + "spam.levels." + JUNK_USER + "=- - off\n"
                + "spam.levels." + TAGGED_USER + "=-999 - -\n"
            : content).start();
        WebAdmin webAdmin = new WebAdmin(server).addDomain(DOMAIN);
        for (String user : List.of(USER, JUNK_USER, TAGGED_USER, LOVER, LEARNER)) {
            webAdmin.addUser(user, PASSWORD);
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String message(String subject, String body) {
        return "From: someone@elsewhere.example\r\nTo: undisclosed-recipients:;\r\nSubject: " + subject + "\r\n"
            + "Date: Sat, 21 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@elsewhere.example>\r\n\r\n"
            + body + "\r\n";
    }

    private static void sendFromOutside(List<String> recipients, String message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send("someone@elsewhere.example", recipients, message.getBytes(ISO_8859_1)), 250);
        }
    }

    private static Path junk(String user) {
        return MaildirOnDisk.folder(server.maildir(user), "Junk");
    }

    @Test
    void gtubeIsMarkedAndFiledIntoJunk() throws Exception {
        String subject = "gtube junk " + UUID.randomUUID();

        sendFromOutside(List.of(JUNK_USER), message(subject, SpamdProcess.GTUBE));

        String delivered = MaildirOnDisk.awaitMessageContaining(junk(JUNK_USER), WAIT, subject).orElseThrow();
        assertThat(delivered.replace("\r\n ", " ")).contains("X-Spam-Flag: YES", "Subject: ***SPAM*** " + subject);
        assertThat(delivered).containsPattern("X-Spam-Status: Yes, score=\\d{3,4}\\.\\d tagged_above=2\\.0 required=5\\.0 tests=\\[[^\\]]*GTUBE");
        assertThat(delivered).containsPattern("X-Spam-Score: \\d{3,4}\\.\\d");
        assertThat(delivered).contains("X-Spam-Level: " + "*".repeat(64) + "\r\n");
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(JUNK_USER), Duration.ofSeconds(1), subject)).as("not in INBOX").isEmpty();
    }

    @Test
    void gtubeAboveTheKillLevelIsDiscardedIntoTheQuarantine() throws Exception {
        String subject = "gtube kill " + UUID.randomUUID();

        sendFromOutside(List.of(USER), message(subject, SpamdProcess.GTUBE));

        String id = server.awaitQuarantined("spam", subject, WAIT);
        assertThat(id).startsWith("spam-");
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=discarded (spam: score=", WAIT);
        assertThat(MaildirOnDisk.awaitMessageContaining(junk(USER), Duration.ofSeconds(1), subject)).isEmpty();
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(1), subject)).isEmpty();
    }

    @Test
    void spamReleasedFromTheQuarantineIsFiledIntoJunkNotKilledAgain() throws Exception {
        String subject = "gtube release " + UUID.randomUUID();
        sendFromOutside(List.of(USER), message(subject, SpamdProcess.GTUBE));
        String id = server.awaitQuarantined("spam", subject, WAIT);

        MaildeckInstance.Result release = server.maildeck("quarantine", "release", id);

        assertThat(release.exitCode()).as(release.toString()).isZero();
        String delivered = MaildirOnDisk.awaitMessageContaining(junk(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).contains("X-Quarantine-ID: " + id, "X-Spam-Flag: YES");
        assertThat(server.serverLog()).contains(id + ": released from quarantine (spam: score=");
    }

    @Test
    void anOrdinaryMessageGetsOnlyTheTagHeaders() throws Exception {
        String subject = "lunch " + UUID.randomUUID();

        sendFromOutside(List.of(TAGGED_USER), message(subject, "Shall we meet at noon at the usual place?"));

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(TAGGED_USER), WAIT, subject).orElseThrow();
        assertThat(delivered).containsPattern("X-Spam-Status: No, score=-?\\d+\\.\\d tagged_above=-999\\.0 required=5\\.0 tests=\\[");
        assertThat(delivered).containsPattern("X-Spam-Score: -?\\d+\\.\\d");
        assertThat(delivered).contains("X-Spam-Level:", "Subject: " + subject + "\r\n");
        assertThat(delivered).doesNotContain("X-Spam-Flag", "***SPAM***");
    }

    @Test
    void aMessageBelowTheTagLevelGetsNoSpamHeaders() throws Exception {
        String subject = "untagged " + UUID.randomUUID();

        sendFromOutside(List.of(USER), message(subject, "Shall we meet at noon at the usual place?"));

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
        assertThat(delivered).doesNotContain("X-Spam-");
        server.awaitLog("spamassassin=score ", WAIT);
    }

    @Test
    void aSpamLoverGetsSpamInJunkWhileTheOtherRecipientsCopyIsKilled() throws Exception {
        String marker = UUID.randomUUID().toString();
        // the prefixed subject gets folded: the search is for the marker alone
        String subject = "gtube two recipients " + marker;

        sendFromOutside(List.of(USER, LOVER), message(subject, SpamdProcess.GTUBE));

        String delivered = MaildirOnDisk.awaitMessageContaining(junk(LOVER), WAIT, marker).orElseThrow();
        assertThat(delivered).contains("X-Spam-Flag: YES");
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=discarded (spam: ", WAIT);
        assertThat(MaildirOnDisk.awaitMessageContaining(junk(USER), Duration.ofSeconds(1), marker)).isEmpty();
    }

    @Test
    void mailFromATrustedNetworkIsNotScored() throws Exception {
        String subject = "trusted gtube " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO inside.example"), 250);
            SmtpClient.expect(smtp.send("someone@elsewhere.example", List.of(TAGGED_USER),
                message(subject, SpamdProcess.GTUBE).getBytes(ISO_8859_1)), 250);
        }

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(TAGGED_USER), WAIT, subject).orElseThrow();
        assertThat(delivered).doesNotContain("X-Spam-");
        server.awaitLog("spamassassin=unchecked (mail from a client in a trusted network)", WAIT);
    }

    @Test
    void whileSpamdIsDownMailPassesUncheckedAndNothingIsLost() throws Exception {
        String subject = "spamd down " + UUID.randomUUID();
        server.spamd().stop();
        try {
            sendFromOutside(List.of(USER), message(subject, SpamdProcess.GTUBE));

            String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, subject).orElseThrow();
            assertThat(delivered).contains("X-Spam-Status: unchecked");
            assertThat(delivered).contains("X-Virus-Scanned: Maildeck (ClamAV ");
            server.awaitLog("warning: not checked for spam (spamassassin: ", WAIT);
            assertThat(server.serverLog()).containsPattern("warning: not checked for spam \\(spamassassin: [^)]*\\): onSpamdFailure=pass, unchecked since start: 1\\b");
        } finally {
            server.spamd().restart();
        }
    }

    @Test
    void movingAMessageIntoJunkTeachesSpamdItIsSpam() throws Exception {
        SpamdProcess.BayesCounts before = server.spamd().bayesCounts();
        learnerMoves("cheap watches", "INBOX", "Junk");

        awaitBayesCounts(before.spam() + 1, before.ham());
    }

    @Test
    void aLearntMoveIntoJunkRaisesJunkLearntSpamTotalByOne() throws Exception {
        long learnt = MaildeckJmx.attribute(server, CONTENT_FILTER, "JunkLearntSpamTotal");
        learnerMoves("counted spam", "INBOX", "Junk");

        assertThat(MaildeckJmx.awaitAttribute(server, CONTENT_FILTER, "JunkLearntSpamTotal", learnt + 1, WAIT)).isEqualTo(learnt + 1);
    }

    @Test
    void aLearntMoveOutOfJunkRaisesJunkLearntHamTotalByOne() throws Exception {
        long learnt = MaildeckJmx.attribute(server, CONTENT_FILTER, "JunkLearntHamTotal");
        learnerMoves("counted ham", "Junk", "INBOX");

        assertThat(MaildeckJmx.awaitAttribute(server, CONTENT_FILTER, "JunkLearntHamTotal", learnt + 1, WAIT)).isEqualTo(learnt + 1);
    }

    @Test
    void aMoveIntoJunkWhileSpamdIsDownRaisesJunkLearningFailuresTotalByOne() throws Exception {
        long failures = MaildeckJmx.attribute(server, CONTENT_FILTER, "JunkLearningFailuresTotal");
        server.spamd().stop();
        try {
            learnerMoves("not learnt", "INBOX", "Junk");

            assertThat(MaildeckJmx.awaitAttribute(server, CONTENT_FILTER, "JunkLearningFailuresTotal", failures + 1, WAIT))
                .isEqualTo(failures + 1);
        } finally {
            server.spamd().restart();
        }
    }

    @Test
    void movingAMessageOutOfJunkTeachesSpamdItIsHam() throws Exception {
        SpamdProcess.BayesCounts before = server.spamd().bayesCounts();
        learnerMoves("quarterly report", "Junk", "INBOX");

        awaitBayesCounts(before.spam(), before.ham() + 1);
    }

    @Test
    void movingAMessageFromJunkToTrashTeachesNothing() throws Exception {
        SpamdProcess.BayesCounts before = server.spamd().bayesCounts();
        try (ImapClient imap = ImapClient.login("Maildeck", server.port("imap"), LEARNER, PASSWORD)) {
            long trashed = ImapClient.appendedUid(imap.append("Junk", "", uniqueMessage("to the bin")));
            long learnt = ImapClient.appendedUid(imap.append("INBOX", "", uniqueMessage("fake invoice")));
            imap.select("Junk");
            imap.command("UID MOVE " + trashed + " Trash");
            // learning is done in order: once this second move is learnt, the first one was handled
            imap.select("INBOX");
            imap.command("UID MOVE " + learnt + " Junk");
        }

        awaitBayesCounts(before.spam() + 1, before.ham());
    }

    /** The learner appends a new message to {@code from} and moves it to {@code to} with UID MOVE. */
    private static void learnerMoves(String subject, String from, String to) throws Exception {
        try (ImapClient imap = ImapClient.login("Maildeck", server.port("imap"), LEARNER, PASSWORD)) {
            long uid = ImapClient.appendedUid(imap.append(from, "", uniqueMessage(subject)));
            imap.select(from);

            imap.command("UID MOVE " + uid + " " + to);
        }
    }

    private static byte[] uniqueMessage(String subject) {
        String words = UUID.randomUUID() + " " + UUID.randomUUID() + " " + UUID.randomUUID();
        return message(subject + " " + UUID.randomUUID(), "Words nobody used before: " + words).getBytes(ISO_8859_1);
    }

    private static void awaitBayesCounts(long spam, long ham) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        SpamdProcess.BayesCounts counts = server.spamd().bayesCounts();
        while (counts.spam() != spam || counts.ham() != ham) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Bayes counts stayed " + counts + ", expected spam=" + spam + " ham=" + ham);
            }
            Thread.sleep(500);
            counts = server.spamd().bayesCounts();
        }
        // and they stay there: nothing is learnt twice
        Thread.sleep(1000);
        assertThat(server.spamd().bayesCounts()).isEqualTo(new SpamdProcess.BayesCounts(spam, ham));
    }


}
