package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LIST with a list of patterns (RFC 5258 §3, LIST-EXTENDED, which Maildeck announces):
 * {@code LIST "" (a.*2 a.test3)} lists every mailbox that any of the patterns matches, each once,
 * with the select and return options applying to all. The folders and the first command are
 * those of Dovecot's imaptest group listext.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImapListPatternsIT {

    private static final String DOMAIN = "listpatterns.maildeck.test";
    private static final Pattern LIST = Pattern.compile("^\\* LIST \\(([^)]*)\\) (?:NIL|\"[^\"]*\") \"?([^\"]*)\"?$");

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static String user;
    private static String sep;

    @BeforeAll
    static void createTheFolders() throws IOException {
        maildeck.domain(DOMAIN);
        user = maildeck.newUser("lister", DOMAIN);
        try (ImapWire imap = login()) {
            String root = imap.ok("LIST \"\" \"\"").lines("LIST").get(0);
            Matcher delimiter = Pattern.compile("^\\* LIST \\([^)]*\\) \"(.)\"").matcher(root);
            assertThat(delimiter.find()).as(root).isTrue();
            sep = delimiter.group(1);
            for (String folder : List.of("a", "a.test1", "a.test2", "a.test2.test1", "a.test3", "a.test4.test5", "a.test4.test52")) {
                imap.ok("CREATE " + ImapWire.quote(folder.replace(".", sep)));
            }
            imap.ok("SUBSCRIBE " + ImapWire.quote("a.test3".replace(".", sep)));
        }
    }

    private static ImapWire login() throws IOException {
        return ImapWire.login(maildeck.instance(), user, TestServer.PASSWORD);
    }

    /** {@code command}'s LIST answers, as mailbox names with "." for the delimiter, in the order sent. */
    private static List<String> listed(ImapWire.Reply reply) {
        return reply.lines("LIST").stream().map(line -> {
            Matcher matcher = LIST.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            return matcher.group(2).replace(sep, ".");
        }).toList();
    }

    private static String patterns(String... patterns) {
        return "(" + String.join(" ", List.of(patterns).stream().map(pattern -> pattern.replace(".", sep)).toList()) + ")";
    }

    @Test
    void rfc5258_3_aListOfPatternsListsWhatAnyOfThemMatches() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.ok("LIST \"\" " + patterns("a.*2", "a.test3"));

            assertThat(listed(reply)).containsExactlyInAnyOrder("a.test2", "a.test3", "a.test4.test52");
        }
    }

    @Test
    void rfc5258_3_aMailboxThatSeveralPatternsMatchIsListedOnce() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.ok("LIST \"\" " + patterns("a.test3", "a.%", "\"a.test3\""));

            assertThat(listed(reply)).containsExactlyInAnyOrder("a.test1", "a.test2", "a.test3", "a.test4");
        }
    }

    @Test
    void rfc5258_3_selectionOptionsApplyToEveryPattern() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.ok("LIST (SUBSCRIBED) \"\" " + patterns("a.test1", "a.test3"));

            assertThat(listed(reply)).containsExactly("a.test3");
        }
    }

    @Test
    void rfc5819_listStatusAnswersOnceForAMailboxThatTwoPatternsMatch() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.ok("LIST \"\" " + patterns("a.test3", "a.test*") + " RETURN (STATUS (MESSAGES))");

            assertThat(listed(reply)).containsExactlyInAnyOrder("a.test1", "a.test2", "a.test2.test1", "a.test3",
                "a.test4", "a.test4.test5", "a.test4.test52");
            assertThat(reply.lines("STATUS").stream().filter(line -> line.contains("test3"))).hasSize(1);
        }
    }

    @Test
    void rfc5258_3_anEmptyListOfPatternsIsRefusedAndTheSessionGoesOn() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.command("LIST \"\" ()");

            assertThat(reply.tagged()).matches("\\S+ BAD .*");
            assertThat(imap.command("NOOP").isOk()).isTrue();
        }
    }

    @Test
    void rfc3501_6_3_8_aSinglePatternIsListedAsBefore() throws IOException {
        try (ImapWire imap = login()) {
            ImapWire.Reply reply = imap.ok("LIST \"\" " + "a.test4.%".replace(".", sep));

            assertThat(listed(reply)).containsExactlyInAnyOrder("a.test4.test5", "a.test4.test52");
        }
    }
}
