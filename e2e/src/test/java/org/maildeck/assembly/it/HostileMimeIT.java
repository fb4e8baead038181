package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.maildeck.antivirus.ClamdProcess;

/**
 * Malformed and hostile MIME over real SMTP against the instance's real clamd: each shape gets a
 * verdict and the shipped destiny of that verdict (a virus is discarded into the quarantine, a
 * banned structure bounced), never the error repository. Every infected shape carries EICAR
 * where clamd finds it, so the quarantine, which writes the message as it was accepted, is
 * reached by each of them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HostileMimeIT {

    private static final String DOMAIN = "mime.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    /** A local sender, so that non-delivery notices can be read in its mailbox. */
    private static final String SENDER = "sender@" + DOMAIN;
    private static final String PASSWORD = "Mime-Pa55word";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String EICAR_BASE64 = Base64.getMimeEncoder().encodeToString(ClamdProcess.EICAR.getBytes(ISO_8859_1));

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("mailetcontainer.xml")
            ? content.replace("<delays>1m, 2m, 4m, 8m, 15m, 30m, 1h</delays>", "<delays>2s</delays>")
            : content).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD).addUser(SENDER, PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** The shape of issue 17 (F): the header names boundary XYZ, the parts are separated by --ABC. */
    @Test
    void aMultipartWhosePartsUseAnotherBoundaryIsQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> headers(subject, "Content-Type: multipart/mixed; boundary=\"XYZ\"")
            + "--ABC\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + EICAR_BASE64 + "\r\n--ABC--\r\n");
    }

    @Test
    void aMultipartWithoutABoundaryParameterIsQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> headers(subject, "Content-Type: multipart/mixed")
            + "--ABC\r\nContent-Type: text/plain\r\n\r\n" + ClamdProcess.EICAR + "\r\n--ABC--\r\n");
    }

    @Test
    void anUnterminatedMultipartIsQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> headers(subject, "Content-Type: multipart/mixed; boundary=\"ABC\"")
            + "--ABC\r\nContent-Type: text/plain\r\n\r\nHello.\r\n"
            + "--ABC\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + EICAR_BASE64 + "\r\n");
    }

    @Test
    void badBase64BesideAVirusIsQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> headers(subject, "Content-Type: multipart/mixed; boundary=\"ABC\"")
            + "--ABC\r\nContent-Type: text/plain\r\n\r\n" + ClamdProcess.EICAR + "\r\n"
            + "--ABC\r\nContent-Type: application/zip; name=\"broken.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "UEsDBBQ!!!!not*base64@@@\r\n====\r\nAAA\r\n--ABC--\r\n");
    }

    @Test
    void brokenHeaderEncodingsAreQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> "From: =?x-no-such-charset?B?!!!?= <" + SENDER + ">\r\nTo: " + USER
            + "\r\nSubject: " + subject + " =?utf-8?B?@@@@?= =?utf-8?Q?=ZZ?=\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"ABC\r\n\r\n"
            + "--ABC\r\nContent-Type: text/plain; charset=\"x-no-such-charset\r\nContent-Transfer-Encoding: x-no-such-encoding\r\n"
            + "Content-Disposition: attachment; filename*=x-no-such-charset''%ZZ%; filename=\"=?utf-8?B?####?=\"\r\n\r\n"
            + ClamdProcess.EICAR + "\r\n--ABC--\r\n");
    }

    @Test
    void multipartsNestedAThousandLevelsDeepAreQuarantinedAsAVirus() throws Exception {
        assertDiscardedAsVirus(subject -> headers(subject, "Content-Type: multipart/mixed; boundary=\"b0\"")
            + nested(1000, "Content-Type: text/plain\r\n\r\n" + ClamdProcess.EICAR + "\r\n"));
    }

    /** Nothing for clamd to find: the depth itself is the verdict, as with archives nested too deep. */
    @Test
    void cleanMultipartsNestedAThousandLevelsDeepAreBannedAndTheSenderTold() throws Exception {
        String subject = subject("deep and clean");

        send(headers(subject, "Content-Type: multipart/mixed; boundary=\"b0\"")
            + nested(1000, "Content-Type: text/plain\r\n\r\nNothing here.\r\n"));

        String notice = MaildirOnDisk.awaitMessageContaining(server.maildir(SENDER), WAIT, "Subject: " + subject).orElseThrow();
        String id = server.awaitQuarantined("banned", subject, WAIT);
        assertThat(notice).contains("Status: 5.7.0", "Banned attachment: (MIME structure): parts nested deeper than ", id);
        assertNothingDeliveredNorInTheErrorRepository(subject);
    }

    /** Mail put back for a later scan is queued again: the queue must take hostile MIME as it came. */
    @Test
    void aMultipartWhosePartsUseAnotherBoundaryWaitsWhileClamdIsDownAndIsQuarantinedWhenItIsBack() throws Exception {
        String subject = subject("hostile MIME while clamd is down");
        server.clamd().stop();
        try {
            send(headers(subject, "Content-Type: multipart/mixed; boundary=\"XYZ\"")
                + "--ABC\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + EICAR_BASE64 + "\r\n--ABC--\r\n");
            server.awaitMailLog(java.util.regex.Pattern.compile(": deferred \\(clamav: "), WAIT);
        } finally {
            server.clamd().restart();
        }

        String id = server.awaitQuarantined("virus", subject, Duration.ofSeconds(150));
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=discarded (virus: " + ClamdProcess.SIGNATURE + "), quarantine=" + id, WAIT);
        assertNothingDeliveredNorInTheErrorRepository(subject);
    }

    private interface MessageWithSubject {
        String build(String subject);
    }

    private static void assertDiscardedAsVirus(MessageWithSubject message) throws Exception {
        String subject = subject("hostile MIME");

        send(message.build(subject));

        String id = server.awaitQuarantined("virus", subject, WAIT);
        server.awaitLog("to=<" + USER + ">, relay=content-filter, status=discarded (virus: " + ClamdProcess.SIGNATURE + "), quarantine=" + id, WAIT);
        assertNothingDeliveredNorInTheErrorRepository(subject);
    }

    private static void assertNothingDeliveredNorInTheErrorRepository(String subject) throws Exception {
        assertThat(MaildirOnDisk.awaitMessageContaining(server.maildir(USER), Duration.ofSeconds(1), subject)).as("not delivered").isEmpty();
        assertThat(new WebAdmin(server).get("/mailRepositories/var%2Fmail%2Ferror/mails")).as("mails in the error repository").isEqualTo("[]");
        assertThat(server.serverLog()).doesNotContain("cannot quarantine");
    }

    /** {@code levels} multiparts, each the only part of the one around it, {@code innermost} in the last. */
    private static String nested(int levels, String innermost) {
        StringBuilder opening = new StringBuilder();
        StringBuilder closing = new StringBuilder();
        for (int level = 0; level < levels; level++) {
            String boundary = "b" + level;
            boolean last = level == levels - 1;
            opening.append("--").append(boundary).append("\r\n")
                .append(last ? innermost : "Content-Type: multipart/mixed; boundary=\"b" + (level + 1) + "\"\r\n\r\n");
            closing.insert(0, "--" + boundary + "--\r\n");
        }
        return opening.append(closing).toString();
    }

    private static String headers(String subject, String contentType) {
        return "From: " + SENDER + "\r\nTo: " + USER + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" + contentType + "\r\n\r\n";
    }

    private static String subject(String what) {
        return what + " " + UUID.randomUUID();
    }

    private static void send(String message) throws IOException {
        SmtpClient.deliver(server.port("smtp"), SENDER, List.of(USER), message.getBytes(ISO_8859_1));
    }
}
