package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.assembly.it.TestServer.PASSWORD;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * THREAD (RFC 5256 §4) over a raw socket and from Python's imaplib. One INBOX of six messages,
 * sent one day after the other:
 * <pre>
 * 1  &lt;t1&gt;  "plan"
 * 2  &lt;t2&gt;  "Re: plan"   References: &lt;t1&gt; &lt;gone&gt;   (its parent is not in the folder)
 * 3  &lt;t3&gt;  "Re: plan"   References: &lt;t1&gt;
 * 4  &lt;t4&gt;  "lunch"
 * 5  &lt;t5&gt;  "Re: lunch"  (no references: joins 4 by subject only)
 * 6  &lt;t6&gt;  "Re: plan"   In-Reply-To: &lt;t4&gt;
 * </pre>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapThreadIT {

    private static final String DOMAIN = "thread.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();

    private static String user;
    private static final List<Long> uids = new ArrayList<>();

    @BeforeAll
    static void sixMessages() throws IOException {
        server.domain(DOMAIN);
        user = server.newUser("threader", DOMAIN);
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            append(imap, 1, "plan", "");
            append(imap, 2, "Re: plan", "References: <t1@thread.test>\r\n <gone@thread.test>\r\n");
            append(imap, 3, "Re: plan", "References: <t1@thread.test>\r\n");
            append(imap, 4, "lunch", "");
            append(imap, 5, "Re: lunch", "");
            append(imap, 6, "Re: plan", "In-Reply-To: <t4@thread.test>\r\n");
        }
    }

    private static void append(ImapWire imap, int number, String subject, String links) throws IOException {
        String message = "Date: " + number + " Mar 2024 10:00:00 +0000\r\nFrom: a@thread.test\r\nSubject: " + subject
            + "\r\nMessage-ID: <t" + number + "@thread.test>\r\n" + links + "\r\nbody\r\n";
        ImapWire.Reply appended = imap.appendOk("INBOX", null, message.getBytes(UTF_8));
        uids.add(Long.parseLong(appended.codeText("APPENDUID").orElseThrow().split(" ")[1]));
    }

    private static String threads(String command) throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            ImapWire.Reply reply = imap.command(command);
            assertThat(reply.isOk()).as("%s -> %s", command, reply).isTrue();
            List<String> found = reply.lines("THREAD");
            assertThat(found).as("one * THREAD in %s", reply).hasSize(1);
            return found.get(0).substring("* THREAD".length()).strip();
        }
    }

    @Test
    void referencesHangsAReplyUnderItsNearestAncestorInTheFolderWhenItsParentIsMissing() throws IOException {
        assertThat(threads("THREAD REFERENCES UTF-8 1:3")).isEqualTo("(1 (2)(3))");
    }

    @Test
    void referencesMergesAReplyWithoutReferencesUnderTheMessageWithItsBaseSubject() throws IOException {
        assertThat(threads("THREAD REFERENCES UTF-8 4:5")).isEqualTo("(4 5)");
    }

    @Test
    void referencesFollowsInReplyToAndOrdersSiblingsBySentDate() throws IOException {
        assertThat(threads("THREAD REFERENCES UTF-8 ALL")).isEqualTo("(1 (2)(3))(4 (5)(6))");
    }

    @Test
    void orderedSubjectGroupsByBaseSubjectUnderTheFirstMessage() throws IOException {
        assertThat(threads("THREAD ORDEREDSUBJECT UTF-8 ALL")).isEqualTo("(1 (2)(3)(6))(4 5)");
    }

    @Test
    void uidThreadAnswersUids() throws IOException {
        assertThat(threads("UID THREAD REFERENCES US-ASCII 4:5")).isEqualTo("(" + uids.get(3) + " " + uids.get(4) + ")");
    }

    @Test
    void threadOfNoMatchingMessageIsAnEmptyThreadResponse() throws IOException {
        assertThat(threads("THREAD REFERENCES UTF-8 SUBJECT nothing-like-this")).isEmpty();
    }

    @Test
    void threadWithAnUnknownAlgorithmIsABadAndTheSessionGoesOn() throws IOException {
        try (ImapWire imap = ImapWire.login(server.instance(), user, PASSWORD)) {
            imap.ok("EXAMINE INBOX");
            assertThat(imap.command("THREAD NOSUCHALGORITHM UTF-8 ALL").tagged()).matches("\\S+ BAD .*");
            assertThat(imap.command("THREAD REFERENCES").tagged()).matches("\\S+ BAD .*");
            assertThat(imap.command("THREAD REFERENCES X-NO-SUCH-CHARSET ALL").tagged()).matches("\\S+ NO \\[BADCHARSET( \\([^)]*\\))?\\] .*");
            assertThat(imap.ok("NOOP").isOk()).isTrue();
        }
    }

    @Test
    void pythonImaplibThreads() throws Exception {
        String output = PythonImaplib.run(server.instance(), user, PASSWORD,
            "typ, data = m.thread('REFERENCES', 'UTF-8', 'ALL')",
            "print(typ, data[0].decode())");
        assertThat(output).isEqualTo("OK (1 (2)(3))(4 (5)(6))");
    }
}
