package org.maildeck.assembly.it;

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
        assertThat(envelopeOfAMessageFrom("writer@" + DOMAIN + " (Real Name)"))
            .contains("((\"Real Name\" NIL \"writer\" \"" + DOMAIN + "\"))");
    }

    @Test
    void aDisplayNameStaysThePersonalNameWhateverTheComment() throws IOException {
        assertThat(envelopeOfAMessageFrom("Display Name <writer@" + DOMAIN + "> (Comment)"))
            .contains("((\"Display Name\" NIL \"writer\" \"" + DOMAIN + "\"))");
    }

    @Test
    void aMailReaderShowsTheCommentAsTheSendersName() throws Exception {
        String user = userWithOneMessageFrom("writer@" + DOMAIN + " (Real Name)");
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

    /** The ENVELOPE the server gives a message whose From: header is {@code from}. */
    private static String envelopeOfAMessageFrom(String from) throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), userWithOneMessageFrom(from), PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            return imap.ok("FETCH 1 (ENVELOPE)").lines("1 FETCH").get(0);
        }
    }

    private static String userWithOneMessageFrom(String from) throws IOException {
        String user = server.newUser("enveloped", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, ImapOnMaildirIT.message("named by a comment", from, "Body."));
        }
        return user;
    }
}
