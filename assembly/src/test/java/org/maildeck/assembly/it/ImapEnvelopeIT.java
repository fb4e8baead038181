package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;

/**
 * The personal name in ENVELOPE addresses (RFC 9051 §7.5.2): an address written the RFC 822 way,
 * {@code user@domain (Real Name)}, is named by its comment, as Dovecot does; James 3.8.1 sent NIL.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapEnvelopeIT {

    private static final String DOMAIN = "envelope.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    @Test
    void theCommentOfABareAddressIsItsPersonalName() throws IOException {
        String user = userWithOneMessage("From: writer@" + DOMAIN + " (Real Name)");
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");

            String envelope = imap.ok("FETCH 1 (ENVELOPE)").lines("1 FETCH").get(0);

            assertThat(envelope).contains("((\"Real Name\" NIL \"writer\" \"" + DOMAIN + "\"))");
        }
    }

    @Test
    void aDisplayNameStaysThePersonalNameWhateverTheComment() throws IOException {
        String user = userWithOneMessage("From: Display Name <writer@" + DOMAIN + "> (Comment)");
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");

            String envelope = imap.ok("FETCH 1 (ENVELOPE)").lines("1 FETCH").get(0);

            assertThat(envelope).contains("((\"Display Name\" NIL \"writer\" \"" + DOMAIN + "\"))");
        }
    }

    @Test
    void aMailReaderShowsTheCommentAsTheSendersName() throws Exception {
        String user = userWithOneMessage("From: writer@" + DOMAIN + " (Real Name)");
        Store store = new Mailbox(server.instance(), user, PASSWORD).login();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            InternetAddress from = (InternetAddress) inbox.getMessage(1).getFrom()[0];
            inbox.close(false);

            assertThat(from.getPersonal()).isEqualTo("Real Name");
            assertThat(from.getAddress()).isEqualTo("writer@" + DOMAIN);
        } finally {
            store.close();
        }
    }

    private static String userWithOneMessage(String fromLine) throws IOException {
        server.domain(DOMAIN);
        String user = server.newUser("enveloped", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, (fromLine + "\r\n"
                + "To: " + user + "\r\n"
                + "Subject: named by a comment\r\n"
                + "Date: Wed, 1 Jan 2020 10:00:00 +0000\r\n"
                + "\r\n"
                + "Body.\r\n").getBytes(US_ASCII));
        }
        return user;
    }
}
