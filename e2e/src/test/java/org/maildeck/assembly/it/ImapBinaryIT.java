package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * BINARY (RFC 3516) over a raw socket, and from Python's imaplib. The INBOX holds:
 * <ol>
 * <li>a multipart/mixed message whose parts are: 1 text in base64 ("hello world"), 2 bytes with
 * a NUL in base64, 3 text in quoted-printable (the body of Dovecot's imaptest group
 * fetch-binary-mime-qp, 65 octets decoded), 4 text in an encoding no one knows;</li>
 * <li>a message that is one part in base64 ("hello world"), whose only part is 1;</li>
 * <li>and 4. the same as 2, each for one test of \Seen.</li>
 * </ol>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapBinaryIT {

    private static final String DOMAIN = "binary.maildeck.test";
    private static final String QUOTED_PRINTABLE = "hello  \r\nbar=\r\n\r\nfoo\t=\r\nbar\r\nfoo\t \t= \r\n=62\r\n"
        + "foo = \t\r\nbar\r\nfoo =\r\n=62\r\nfoo  \r\nbar=\r\n\r\nfoo_bar\r\n";
    private static final String QUOTED_PRINTABLE_DECODED = "hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nfoo b\r\nfoo\r\nbar\r\nfoo_bar\r\n";
    private static final String MULTIPART = "From: user@domain.org\r\n"
        + "Subject: parts\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        + "\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs\r\nbG8gd29y\r\nbGQ=\r\n"
        + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: BASE64\r\n\r\nAAFoaQ==\r\n"
        + "--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + QUOTED_PRINTABLE + "\r\n"
        + "--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-unheard-of\r\n\r\nabc\r\n"
        + "--b1--\r\n";
    private static final String SINGLE_PART = "From: user@domain.org\r\n"
        + "Subject: one part\r\n"
        + "Mime-Version: 1.0\r\n"
        + "Content-Type: text/plain\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "\r\n"
        + "aGVsbG8gd29ybGQ=\r\n";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;

    @BeforeAll
    static void messages() throws IOException {
        server.domain(DOMAIN);
        user = server.newUser("binary", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.appendOk("INBOX", null, MULTIPART.getBytes(ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                imap.appendOk("INBOX", null, SINGLE_PART.getBytes(ISO_8859_1));
            }
        }
    }

    private static ImapWire selected() throws IOException {
        ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD);
        imap.ok("SELECT INBOX");
        return imap;
    }

    private static ImapWire.Response onlyFetch(ImapWire.Reply reply) {
        assertThat(reply.isOk()).as("%s", reply).isTrue();
        assertThat(reply.responses("^\\* \\d+ FETCH ")).as("%s", reply).hasSize(1);
        return reply.responses("^\\* \\d+ FETCH ").get(0);
    }

    /** RFC 3516 §3: a server that supports BINARY announces it. */
    @Test
    void capabilityAnnouncesBinary() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            assertThat(imap.ok("CAPABILITY").lines("CAPABILITY").get(0).split(" ")).contains("BINARY");
        }
    }

    /** RFC 3516 §4.2: BINARY[section] is the part after its content-transfer-decoding, here base64. */
    @Test
    void binaryOfABase64PartIsItsDecodedData() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[1])"));

            assertThat(fetch.text()).contains("BINARY[1] {11}");
            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo("hello world");
        }
    }

    /** RFC 3516 §4.2 with RFC 2045 §6.7: quoted-printable decoded (trailing blanks dropped, soft line breaks joined). */
    @Test
    void binaryOfAQuotedPrintablePartIsItsDecodedData() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[3])"));

            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo(QUOTED_PRINTABLE_DECODED);
        }
    }

    /** RFC 3516 §4.2: BINARY.SIZE[section] is the size of the decoded data, a number, not a literal. */
    @Test
    void binarySizeIsTheNumberOfDecodedOctets() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.SIZE[1] BINARY.SIZE[3])"));

            assertThat(fetch.text()).contains("BINARY.SIZE[1] 11 BINARY.SIZE[3] 65");
            assertThat(fetch.literals()).isEmpty();
        }
    }

    /** RFC 3516 §4.2 and §6 (literal8): decoded data holding a NUL is sent as {@code ~{n}}. */
    @Test
    void decodedDataWithANulIsSentAsALiteral8() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[2])"));

            assertThat(fetch.text()).contains("BINARY[2] ~{4}");
            assertThat(fetch.literals().get(0)).containsExactly(0, 1, 'h', 'i');
        }
    }

    /** RFC 3516 §4.2: a partial range counts octets of the decoded data, and the response names its origin. */
    @Test
    void aPartialRangeIsTakenFromTheDecodedData() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[3]<10.10>)"));

            assertThat(fetch.text()).contains("BINARY[3]<10> {10}");
            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo(QUOTED_PRINTABLE_DECODED.substring(10, 20));
        }
    }

    /** RFC 3516 §4.3: a part in an encoding the server does not know fails the FETCH with NO [UNKNOWN-CTE]. */
    @Test
    void anUnknownTransferEncodingIsRefusedWithUnknownCte() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Reply reply = imap.command("FETCH 1 (BINARY.PEEK[4])");

            assertThat(reply.tagged()).matches("\\S+ NO \\[UNKNOWN-CTE\\].*");
        }
    }

    /** RFC 3516 §4.2, RFC 9051 §6.4.5: BINARY[] is the whole message, which has nothing to decode, as stored. */
    @Test
    void binaryOfTheWholeMessageIsTheMessageAsStored() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[])"));

            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo(MULTIPART);
        }
    }

    /** RFC 9051 §6.4.5: a non-multipart message has only part 1, its body, decoded by its header's encoding. */
    @Test
    void partOneOfANonMultipartMessageIsItsDecodedBody() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 2 (BINARY.PEEK[1])"));

            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo("hello world");
        }
    }

    /** RFC 3516 §4.2: BINARY.PEEK and BINARY.SIZE leave \Seen alone. */
    @Test
    void binaryPeekLeavesTheMessageUnseen() throws IOException {
        try (ImapWire imap = selected()) {
            onlyFetch(imap.command("FETCH 3 (BINARY.PEEK[1] BINARY.SIZE[1])"));

            assertThat(onlyFetch(imap.command("FETCH 3 (FLAGS)")).text()).doesNotContain("\\Seen");
        }
    }

    /** RFC 3516 §4.2 ("BINARY ... sets \Seen" as BODY[] does, RFC 9051 §6.4.5): the response says so with FLAGS. */
    @Test
    void binaryMarksTheMessageSeen() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 4 (BINARY[1])"));

            assertThat(fetch.text()).contains("\\Seen").contains("BINARY[1] {11}");
        }
    }

    /** RFC 3516 §4.2 in UID FETCH, which reads the same fetch items as FETCH. */
    @Test
    void uidFetchAnswersBinaryItems() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("UID FETCH 1 (BINARY.SIZE[2])"));

            assertThat(fetch.text()).matches("(?s)\\* 1 FETCH \\(.*BINARY.SIZE\\[2\\] 4.*").contains("UID ");
        }
    }

    /** A client's own BODY[1] in the same FETCH is still the raw part, next to BINARY's decoded one. */
    @Test
    void bodyAndBinaryOfOnePartAnswerEachTheirOwn() throws IOException {
        try (ImapWire imap = selected()) {
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BODY.PEEK[1] BINARY.PEEK[1])"));

            assertThat(fetch.text()).contains("BODY[1] {20}").contains("BINARY[1] {11}");
            assertThat(new String(fetch.literals().get(0), ISO_8859_1)).isEqualTo("aGVs\r\nbG8gd29y\r\nbGQ=");
            assertThat(new String(fetch.literals().get(1), ISO_8859_1)).isEqualTo("hello world");
        }
    }

    /** RFC 3516 §5: section-part is nz-numbers, and BINARY.SIZE takes no partial range; anything else is BAD. */
    @Test
    void aMalformedBinaryItemIsBad() throws IOException {
        try (ImapWire imap = selected()) {
            assertThat(imap.command("FETCH 1 (BINARY.PEEK[1.0])").tagged()).matches("\\S+ BAD.*");
            assertThat(imap.command("FETCH 1 (BINARY.SIZE[1]<0.4>)").tagged()).matches("\\S+ BAD.*");
            assertThat(imap.command("FETCH 1 (BINARY.PEEK[TEXT])").tagged()).matches("\\S+ BAD.*");
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    /** RFC 3516 §4.4: APPEND takes the message as a literal8. */
    @Test
    void appendTakesALiteral8() throws IOException {
        String binaryUser = server.newUser("binaryappend", DOMAIN);
        byte[] message = ("From: user@domain.org\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: binary\r\n\r\n\u00ed\u0001\r\n").getBytes(ISO_8859_1);
        try (ImapWire imap = ImapWire.login(server.instance(), binaryUser, PASSWORD)) {
            ImapWire.Reply appended = imap.commandWithLiteral("APPEND INBOX ~", message, "");
            assertThat(appended.isOk()).as("%s", appended).isTrue();

            imap.ok("SELECT INBOX");
            ImapWire.Response fetch = onlyFetch(imap.command("FETCH 1 (BINARY.PEEK[1])"));
            assertThat(fetch.literals().get(0)).containsExactly(0xed, 1, '\r', '\n');
        }
    }

    /**
     * RFC 3516 §4.4: content the mailbox cannot store as sent is refused with NO [UNKNOWN-CTE]: a
     * NUL, which BODY[] could not send in a literal, or an LF without CR, which the Maildir serves as CRLF.
     */
    @Test
    void appendOfBinaryContentIsRefusedWithUnknownCte() throws IOException {
        String binaryUser = server.newUser("binaryrefused", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), binaryUser, PASSWORD)) {
            for (String body : List.of("\0\u00ed\r\n", "one\ntwo\r\n")) {
                byte[] message = ("From: user@domain.org\r\nContent-Transfer-Encoding: binary\r\n\r\n" + body).getBytes(ISO_8859_1);
                ImapWire.Reply appended = imap.commandWithLiteral("APPEND INBOX ~", message, "");
                assertThat(appended.tagged()).as(body).matches("\\S+ NO \\[UNKNOWN-CTE\\].*");
            }
            assertThat(imap.ok("STATUS INBOX (MESSAGES)").lines("STATUS").get(0)).contains("MESSAGES 0");
        }
    }

    /** The decoded parts as Python's imaplib reads them (it parses {@code ~{n}} as a literal). */
    @Test
    void pythonImaplibFetchesDecodedParts() throws Exception {
        String output = PythonImaplib.run(server.instance(), user, PASSWORD,
            "typ, data = m.fetch('1', '(BINARY.SIZE[1] BINARY.PEEK[1] BINARY.PEEK[2])')",
            "print(typ)",
            "print(data[0][0].decode())",
            "print(data[0][1].decode())",
            "print(data[1][0].decode())",
            "print(data[1][1].hex())");

        assertThat(output.split("\n")).containsExactly("OK", "1 (BINARY.SIZE[1] 11 BINARY[1] {11}", "hello world",
            " BINARY[2] ~{4}", "00016869");
    }
}
