package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * IMAP on the Maildir++ store, as a client sees it and as Dovecot would find it on disk:
 * default folders with SPECIAL-USE, UIDPLUS, MOVE, CONDSTORE (also across a clean restart), IDLE,
 * ENABLE, NAMESPACE, SEARCH and ESEARCH, flags in file names, EXPUNGE, \Recent and large messages.
 * On the fork's shared server (the restart tests restart it); every test has its own user.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ImapOnMaildirIT {

    private static final String DOMAIN = "imap.maildir.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Set<String> SPECIAL_USE = Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");
    private static final Pattern LIST_LINE = Pattern.compile("\\* (?:LIST|LSUB) \\(([^)]*)\\) (?:NIL|\"(?:[^\"\\\\]|\\\\.)*\") (.*)");

    /** The fork's server; the tests of a clean restart restart it (TestServer: they leave it serving). */
    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @BeforeAll
    static void onTheSharedServer() {
        maildeck.domain(DOMAIN);
    }

    private static String newUser(String prefix) {
        return maildeck.newUser(prefix, DOMAIN);
    }

    private static ImapWire login(String user) throws IOException {
        return ImapWire.login(maildeck.instance(), user, PASSWORD);
    }

    // ------------------------------------------------------------------ capability, namespace

    @Test
    void capabilityAdvertisesTheExtensionsTheseTestsExercise() throws Exception {
        try (ImapWire imap = login(newUser("caps"))) {
            Set<String> capabilities = capabilities(imap);
            assertThat(capabilities).contains("IMAP4REV1", "UIDPLUS", "MOVE", "IDLE", "ENABLE", "NAMESPACE", "ESEARCH",
                "SPECIAL-USE", "QUOTA", "QRESYNC", "LIST-EXTENDED");
        }
    }

    /**
     * RFC 7162 section 3: QRESYNC needs CONDSTORE, and a client only uses CONDSTORE (SELECT
     * (CONDSTORE), FETCH CHANGEDSINCE, MODSEQ) on a server that announces it.
     */
    @Test
    void capabilityAdvertisesCondstore() throws Exception {
        try (ImapWire imap = login(newUser("condcap"))) {
            assertThat(capabilities(imap)).as("CAPABILITY after LOGIN").contains("QRESYNC").contains("CONDSTORE");
        }
    }

    @Test
    void namespaceIsPersonalWithAnEmptyPrefixAndADotDelimiter() throws Exception {
        try (ImapWire imap = login(newUser("ns"))) {
            ImapWire.Reply namespace = imap.ok("NAMESPACE");
            assertThat(namespace.lines("NAMESPACE")).as("%s", namespace).hasSize(1);
            assertThat(namespace.lines("NAMESPACE").get(0)).startsWith("* NAMESPACE ((\"\" \".\")) ");
        }
    }

    // ------------------------------------------------------------------ default folders, SPECIAL-USE

    @Test
    void newUserListsExactlyInboxAndTheFourSpecialUseFolders() throws Exception {
        try (ImapWire imap = login(newUser("special"))) {
            ImapWire.Reply list = imap.ok("LIST \"\" \"*\" RETURN (SPECIAL-USE)");
            Map<String, Set<String>> attributes = listed(list);
            assertThat(attributes.keySet()).as("%s", list).containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Trash", "Junk");
            Map<String, Set<String>> specialUse = attributes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue().stream().filter(SPECIAL_USE::contains).collect(Collectors.toSet())));
            assertThat(specialUse).as("SPECIAL-USE attributes in %s", list).isEqualTo(Map.of(
                "INBOX", Set.of(),
                "Sent", Set.of("\\Sent"),
                "Drafts", Set.of("\\Drafts"),
                "Trash", Set.of("\\Trash"),
                "Junk", Set.of("\\Junk")));
        }
    }

    @Test
    void newUsersSpecialUseFoldersAreSubscribed() throws Exception {
        try (ImapWire imap = login(newUser("subscribed"))) {
            ImapWire.Reply lsub = imap.ok("LSUB \"\" \"*\"");
            assertThat(listed(lsub).keySet()).as("%s", lsub).contains("Sent", "Drafts", "Trash", "Junk");
        }
    }

    @Test
    void newUsersFoldersExistOnDiskAsMaildirPlusPlusFolders() throws Exception {
        String user = newUser("ondisk");
        login(user).close();
        Path maildir = maildeck.instance().maildir(user);

        assertThat(MaildirOnDisk.isMaildir(maildir)).as("INBOX: cur/ new/ tmp/ in %s", maildir).isTrue();
        Set<String> folders;
        try (Stream<Path> entries = Files.list(maildir)) {
            folders = entries.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                .filter(name -> name.startsWith(".")).collect(Collectors.toSet());
        }
        assertThat(folders).containsExactlyInAnyOrder(".Sent", ".Drafts", ".Trash", ".Junk");
        SoftAssertions softly = new SoftAssertions();
        for (String folder : folders) {
            softly.assertThat(MaildirOnDisk.isMaildir(maildir.resolve(folder))).as("%s has cur/ new/ tmp/", folder).isTrue();
            softly.assertThat(maildir.resolve(folder).resolve("maildirfolder")).as("Maildir++ marker of %s", folder).isRegularFile();
        }
        softly.assertThat(MaildirOnDisk.readLines(maildir.resolve("subscriptions"))).as("Dovecot's subscriptions file")
            .contains("Sent", "Drafts", "Trash", "Junk");
        softly.assertAll();
    }

    // ------------------------------------------------------------------ UIDPLUS

    @Test
    void appendReportsAppendUidWithTheMailboxUidValidityAndTheMessageUid() throws Exception {
        try (ImapWire imap = login(newUser("appenduid"))) {
            imap.appendOk("INBOX", null, message("first", "a@client.test", "one"));
            ImapWire.Reply append = imap.appendOk("INBOX", null, message("second", "a@client.test", "two"));
            String[] appendUid = append.codeText("APPENDUID").orElseThrow(() -> new AssertionError("no APPENDUID: " + append)).split(" ");

            ImapWire.Reply select = imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 2 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])");

            assertThat(Long.parseLong(appendUid[0])).as("APPENDUID uidvalidity vs %s", select).isEqualTo(uidValidity(select));
            assertThat(Long.parseLong(appendUid[1])).as("APPENDUID uid vs %s", fetch).isEqualTo(uidOf(fetch, 2));
            assertThat(fetch.untagged().get(0).literals().get(0)).asString(ISO_8859_1).contains("Subject: second");
        }
    }

    /** What Dovecot reads: UIDVALIDITY and each UID from dovecot-uidlist, next to the file's base name. */
    @Test
    void uidValidityAndUidsAreTheOnesInDovecotUidlist() throws Exception {
        String user = newUser("uidlist");
        try (ImapWire imap = login(user)) {
            imap.appendOk("INBOX", null, message("first", "a@client.test", "one"));
            imap.appendOk("INBOX", "\\Seen", message("second", "a@client.test", "two"));
            ImapWire.Reply select = imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])");

            Path inbox = maildeck.instance().maildir(user);
            Map<Long, String> uidList = MaildirOnDisk.uidList(inbox);
            assertThat(MaildirOnDisk.uidValidity(inbox)).isEqualTo(uidValidity(select));
            for (ImapWire.Response response : fetch.untagged()) {
                long uid = Long.parseLong(group(response.text(), "UID (\\d+)"));
                String subject = new String(response.literals().get(0), ISO_8859_1).strip();
                assertThat(uidList).as("dovecot-uidlist records").containsKey(uid);
                Path file = MaildirOnDisk.messages(inbox).stream()
                    .filter(candidate -> MaildirOnDisk.base(candidate).equals(uidList.get(uid))).findFirst()
                    .orElseThrow(() -> new AssertionError("no file with base " + uidList.get(uid) + " in " + MaildirOnDisk.messages(inbox)));
                assertThat(MaildirOnDisk.read(file)).as("file of UID %d", uid).asString(ISO_8859_1).contains(subject);
            }
        }
    }

    @Test
    void copyReportsCopyUidMatchingTheCopiedMessagesInTheTarget() throws Exception {
        try (ImapWire imap = login(newUser("copyuid"))) {
            imap.appendOk("INBOX", null, message("copy one", "a@client.test", "one"));
            imap.appendOk("INBOX", null, message("copy two", "a@client.test", "two"));
            imap.ok("SELECT INBOX");
            List<Long> sourceUids = List.of(uidOf(imap.ok("FETCH 1 (UID)"), 1), uidOf(imap.ok("FETCH 2 (UID)"), 2));

            ImapWire.Reply copy = imap.ok("UID COPY " + sourceUids.get(0) + "," + sourceUids.get(1) + " Trash");
            String[] copyUid = copy.codeText("COPYUID").orElseThrow(() -> new AssertionError("no COPYUID: " + copy)).split(" ");
            List<Long> from = uidSet(copyUid[1]);
            List<Long> to = uidSet(copyUid[2]);
            assertThat(from).containsExactlyInAnyOrderElementsOf(sourceUids);

            ImapWire.Reply examine = imap.ok("EXAMINE Trash");
            assertThat(Long.parseLong(copyUid[0])).as("COPYUID uidvalidity vs %s", examine).isEqualTo(uidValidity(examine));
            for (int i = 0; i < from.size(); i++) {
                String expected = from.get(i).equals(sourceUids.get(0)) ? "copy one" : "copy two";
                ImapWire.Reply fetch = imap.ok("UID FETCH " + to.get(i) + " (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
                assertThat(fetch.untagged()).as("UID FETCH %d in Trash: %s", to.get(i), fetch).hasSize(1);
                assertThat(fetch.untagged().get(0).literals().get(0)).asString(ISO_8859_1).contains("Subject: " + expected);
            }
        }
    }

    // ------------------------------------------------------------------ MOVE

    @Test
    void uidMoveExpungesFromTheSourceAndTheTargetHasItUnderTheCopyUid() throws Exception {
        try (ImapWire imap = login(newUser("move"))) {
            imap.appendOk("INBOX", null, message("to be moved", "a@client.test", "moving"));
            imap.ok("SELECT INBOX");
            long uid = uidOf(imap.ok("FETCH 1 (UID)"), 1);

            ImapWire.Reply move = imap.ok("UID MOVE " + uid + " Trash");
            String[] copyUid = move.codeText("COPYUID").orElseThrow(() -> new AssertionError("no COPYUID: " + move)).split(" ");

            assertThat(move.lines("1 EXPUNGE")).as("%s", move).hasSize(1);
            assertThat(uidSet(copyUid[1])).containsExactly(uid);
            assertThat(searchNumbers(imap.ok("UID SEARCH ALL"))).as("INBOX after the move").isEmpty();
            ImapWire.Reply examine = imap.ok("EXAMINE Trash");
            assertThat(Long.parseLong(copyUid[0])).isEqualTo(uidValidity(examine));
            ImapWire.Reply fetch = imap.ok("UID FETCH " + uidSet(copyUid[2]).get(0) + " (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(fetch.untagged()).as("%s", fetch).hasSize(1);
            assertThat(fetch.untagged().get(0).literals().get(0)).asString(ISO_8859_1).contains("Subject: to be moved");
        }
    }

    @Test
    void uidMoveMovesTheFileFromTheSourceFolderToTheTargetFolder() throws Exception {
        String user = newUser("movefile");
        Path inbox = maildeck.instance().maildir(user);
        Path trash = MaildirOnDisk.folder(inbox, "Trash");
        byte[] content;
        try (ImapWire imap = login(user)) {
            imap.appendOk("INBOX", null, message("moved on disk", "a@client.test", "moving"));
            imap.ok("SELECT INBOX");
            List<Path> before = MaildirOnDisk.messages(inbox);
            assertThat(before).hasSize(1);
            content = MaildirOnDisk.read(before.get(0));

            imap.ok("UID MOVE " + uidOf(imap.ok("FETCH 1 (UID)"), 1) + " Trash");
        }
        assertThat(MaildirOnDisk.messages(inbox)).as("files left in the INBOX folder").isEmpty();
        List<Path> moved = MaildirOnDisk.messages(trash);
        assertThat(moved).as("files in .Trash").hasSize(1);
        assertThat(MaildirOnDisk.read(moved.get(0))).as("content of the moved file").isEqualTo(content);
    }

    // ------------------------------------------------------------------ CONDSTORE

    @Test
    void selectWithCondstoreReportsAHighestModSeqCoveringEveryMessage() throws Exception {
        try (ImapWire imap = login(newUser("hms"))) {
            appendThree(imap);
            ImapWire.Reply select = imap.ok("SELECT INBOX (CONDSTORE)");
            long highest = highestModSeq(select);
            Map<Integer, Long> modSeqs = modSeqs(imap.ok("FETCH 1:* (MODSEQ)"));

            assertThat(modSeqs).hasSize(3);
            assertThat(modSeqs.values()).allMatch(modSeq -> modSeq > 0);
            assertThat(highest).as("HIGHESTMODSEQ vs MODSEQs %s", modSeqs).isGreaterThanOrEqualTo(modSeqs.values().stream().max(Long::compare).orElseThrow());
        }
    }

    /** RFC 7162 section 7: HIGHESTMODSEQ is a mod-sequence-value, 1 or more; an empty mailbox is no exception. */
    @Test
    void selectWithCondstoreOfAnEmptyMailboxReportsAPositiveHighestModSeq() throws Exception {
        try (ImapWire imap = login(newUser("hmsempty"))) {
            ImapWire.Reply select = imap.ok("SELECT INBOX (CONDSTORE)");
            assertThat(highestModSeq(select)).as("%s", select).isPositive();
        }
    }

    @Test
    void storeRaisesTheMessageModSeqAndHighestModSeqAndNoOtherMessages() throws Exception {
        try (ImapWire imap = login(newUser("storemodseq"))) {
            appendThree(imap);
            long highestBefore = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));
            Map<Integer, Long> before = modSeqs(imap.ok("FETCH 1:* (MODSEQ)"));

            ImapWire.Reply store = imap.ok("STORE 2 +FLAGS (\\Flagged)");
            Map<Integer, Long> reported = modSeqs(store);
            Map<Integer, Long> after = modSeqs(imap.ok("FETCH 1:* (MODSEQ)"));
            imap.ok("CLOSE");
            long highestAfter = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));

            assertThat(reported).as("MODSEQ in the FETCH response to STORE: %s", store).containsOnlyKeys(2);
            assertThat(reported.get(2)).isGreaterThan(highestBefore);
            assertThat(after).containsEntry(2, reported.get(2)).containsEntry(1, before.get(1)).containsEntry(3, before.get(3));
            assertThat(highestAfter).isGreaterThanOrEqualTo(reported.get(2)).isGreaterThan(highestBefore);
        }
    }

    @Test
    void fetchChangedSinceReturnsOnlyTheMessageChangedSince() throws Exception {
        try (ImapWire imap = login(newUser("changedsince"))) {
            appendThree(imap);
            long highest = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));
            imap.ok("STORE 2 +FLAGS.SILENT (\\Flagged)");

            ImapWire.Reply changed = imap.ok("FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")");

            List<ImapWire.Response> fetches = changed.responses("^\\* \\d+ FETCH ");
            assertThat(fetches).as("%s", changed).hasSize(1);
            assertThat(fetches.get(0).text()).startsWith("* 2 FETCH ").contains("\\Flagged").contains("MODSEQ (");
        }
    }

    /**
     * RFC 7162 3.1.3: a STORE UNCHANGEDSINCE that fails for a message changed since leaves it as it is and names it
     * in the tagged OK: {@code [MODIFIED <sequence-set>]}.
     */
    @Test
    void conditionalStoreOnAMessageChangedSinceReportsModifiedWithItsSequenceNumber() throws Exception {
        try (ImapWire imap = login(newUser("unchangedsince"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX (CONDSTORE)");
            long modSeqBefore = modSeqs(imap.ok("FETCH 2 (MODSEQ)")).get(2);
            imap.ok("STORE 2 +FLAGS.SILENT (\\Flagged)");

            ImapWire.Reply conditional = imap.ok("STORE 2 (UNCHANGEDSINCE " + modSeqBefore + ") +FLAGS (\\Answered)");
            ImapWire.Reply flags = imap.ok("FETCH 2 (FLAGS)");

            assertThat(flags.lines("2 FETCH").get(0)).as("flags after the refused STORE").doesNotContain("\\Answered");
            assertThat(conditional.tagged()).as("%s", conditional).matches("\\S+ OK \\[MODIFIED 2\\].*");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void modSequencesAreUnchangedByACleanRestart() throws Exception {
        String user = newUser("persist");
        long highestBefore;
        Map<Integer, Long> before;
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            appendThree(imap);
            imap.ok("SELECT INBOX (CONDSTORE)");
            imap.ok("STORE 2 +FLAGS (\\Flagged)");
            imap.ok("STORE 3 +FLAGS ($Label1)");
            imap.ok("CLOSE");
            highestBefore = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));
            before = modSeqs(imap.ok("FETCH 1:* (MODSEQ)"));
        }
        MaildeckInstance.Result stop = maildeck.instance().stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();
        maildeck.instance().start();

        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            ImapWire.Reply select = imap.ok("SELECT INBOX (CONDSTORE)");
            assertThat(highestModSeq(select)).as("HIGHESTMODSEQ after the restart: %s", select).isEqualTo(highestBefore);
            assertThat(modSeqs(imap.ok("FETCH 1:* (MODSEQ)"))).as("MODSEQs after the restart").isEqualTo(before);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void storeAfterACleanRestartGetsAModSeqAboveEveryEarlierOne() throws Exception {
        String user = newUser("persist2");
        long highestBefore;
        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            appendThree(imap);
            imap.ok("SELECT INBOX (CONDSTORE)");
            imap.ok("STORE 2 +FLAGS (\\Flagged)");
            imap.ok("CLOSE");
            highestBefore = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));
        }
        MaildeckInstance.Result stop = maildeck.instance().stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();
        maildeck.instance().start();

        try (ImapWire imap = ImapWire.login(maildeck.instance(), user, PASSWORD)) {
            imap.ok("SELECT INBOX (CONDSTORE)");
            Map<Integer, Long> reported = modSeqs(imap.ok("STORE 1 +FLAGS (\\Seen)"));
            imap.ok("CLOSE");
            long highestAfter = highestModSeq(imap.ok("SELECT INBOX (CONDSTORE)"));
            assertThat(reported).containsOnlyKeys(1);
            assertThat(reported.get(1)).isGreaterThan(highestBefore);
            assertThat(highestAfter).isGreaterThan(highestBefore);
        }
    }

    // ------------------------------------------------------------------ IDLE, ENABLE

    @Test
    void idleSessionIsToldOfAMessageAnotherSessionAppends() throws Exception {
        String user = newUser("idle");
        try (ImapWire idler = login(user); ImapWire other = login(user)) {
            ImapWire.Reply select = idler.ok("SELECT INBOX");
            assertThat(select.lines("0 EXISTS")).hasSize(1);
            String idle = idler.idle();

            other.appendOk("INBOX", null, message("pushed", "a@client.test", "while idling"));

            List<String> pushed = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!pushed.contains("* 1 EXISTS") && System.nanoTime() < deadline) {
                ImapWire.Response response = idler.next(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                if (response != null) {
                    pushed.add(response.text());
                }
            }
            assertThat(pushed).as("responses pushed during IDLE").contains("* 1 EXISTS");
            assertThat(idler.done(idle).isOk()).isTrue();
        }
    }

    @Test
    void enableQresyncIsConfirmed() throws Exception {
        try (ImapWire imap = login(newUser("enableq"))) {
            ImapWire.Reply enable = imap.ok("ENABLE QRESYNC");
            assertThat(enable.lines("ENABLED")).as("%s", enable).containsExactly("* ENABLED QRESYNC");
        }
    }

    /** RFC 5161 / RFC 7162 3.1: ENABLE CONDSTORE is confirmed, and from then on FETCH responses to STORE carry MODSEQ. */
    @Test
    void enableCondstoreIsConfirmedAndTurnsCondstoreOn() throws Exception {
        try (ImapWire imap = login(newUser("enablec"))) {
            imap.appendOk("INBOX", null, message("enable", "a@client.test", "one"));
            ImapWire.Reply enable = imap.ok("ENABLE CONDSTORE");
            imap.ok("SELECT INBOX");
            ImapWire.Reply store = imap.ok("STORE 1 +FLAGS (\\Flagged)");

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(enable.lines("ENABLED")).as("reply to ENABLE CONDSTORE: %s", enable).containsExactly("* ENABLED CONDSTORE");
            softly.assertThat(store.lines("1 FETCH")).as("reply to STORE: %s", store).singleElement().asString().contains("MODSEQ (");
            softly.assertAll();
        }
    }

    // ------------------------------------------------------------------ SEARCH, ESEARCH, SORT, THREAD

    @Test
    void searchReturnMinMaxCountAnswersWithOneEsearchResponse() throws Exception {
        try (ImapWire imap = login(newUser("esearch"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX");
            imap.ok("STORE 2 +FLAGS.SILENT (\\Flagged)");
            long uid2 = uidOf(imap.ok("FETCH 2 (UID)"), 2);

            ImapWire.Reply all = imap.ok("SEARCH RETURN (MIN MAX COUNT) ALL");
            ImapWire.Reply flagged = imap.ok("UID SEARCH RETURN (MIN MAX COUNT) FLAGGED");

            assertThat(all.lines("ESEARCH")).as("%s", all).hasSize(1);
            assertThat(esearch(all.lines("ESEARCH").get(0))).isEqualTo(Map.of("MIN", "1", "MAX", "3", "COUNT", "3"));
            assertThat(flagged.lines("ESEARCH")).as("%s", flagged).hasSize(1);
            assertThat(flagged.lines("ESEARCH").get(0)).contains(" UID ");
            assertThat(esearch(flagged.lines("ESEARCH").get(0)))
                .isEqualTo(Map.of("MIN", Long.toString(uid2), "MAX", Long.toString(uid2), "COUNT", "1"));
            assertThat(all.lines("SEARCH")).as("no plain SEARCH response besides ESEARCH").isEmpty();
        }
    }

    @Test
    void searchByHeaderFindsOnlyTheMatchingMessages() throws Exception {
        try (ImapWire imap = login(newUser("searchhdr"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX");
            assertThat(searchNumbers(imap.ok("SEARCH SUBJECT \"quarterly\""))).containsExactly(1L, 3L);
            assertThat(searchNumbers(imap.ok("SEARCH FROM \"bob@client.test\""))).containsExactly(2L);
            assertThat(searchNumbers(imap.ok("SEARCH HEADER X-Project apollo"))).containsExactly(1L);
            assertThat(searchNumbers(imap.ok("SEARCH SUBJECT \"no such subject\""))).isEmpty();
        }
    }

    @Test
    void searchByBodyTextFindsOnlyTheMatchingMessages() throws Exception {
        try (ImapWire imap = login(newUser("searchbody"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX");
            assertThat(searchNumbers(imap.ok("SEARCH BODY \"pizza\""))).containsExactly(2L);
            assertThat(searchNumbers(imap.ok("SEARCH BODY \"figures\""))).containsExactly(1L, 3L);
            assertThat(searchNumbers(imap.ok("SEARCH BODY \"quarterly\""))).as("a word of the subject only").isEmpty();
            assertThat(searchNumbers(imap.ok("SEARCH TEXT \"quarterly\""))).as("TEXT covers the header too").containsExactly(1L, 3L);
        }
    }

    @Test
    void searchByFlagsFindsTheMessagesWithAndWithoutThem() throws Exception {
        try (ImapWire imap = login(newUser("searchflags"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX");
            imap.ok("STORE 1 +FLAGS.SILENT (\\Flagged $Label1)");
            imap.ok("STORE 3 +FLAGS.SILENT (\\Seen)");
            assertThat(searchNumbers(imap.ok("SEARCH FLAGGED"))).containsExactly(1L);
            assertThat(searchNumbers(imap.ok("SEARCH UNSEEN"))).containsExactly(1L, 2L);
            assertThat(searchNumbers(imap.ok("SEARCH SEEN NOT FLAGGED"))).containsExactly(3L);
            assertThat(searchNumbers(imap.ok("SEARCH KEYWORD $Label1"))).containsExactly(1L);
        }
    }

    @Test
    void searchByUidRangesFindsTheMessagesInTheRanges() throws Exception {
        try (ImapWire imap = login(newUser("searchuid"))) {
            appendThree(imap);
            imap.ok("SELECT INBOX");
            List<Long> uids = List.of(uidOf(imap.ok("FETCH 1 (UID)"), 1), uidOf(imap.ok("FETCH 2 (UID)"), 2), uidOf(imap.ok("FETCH 3 (UID)"), 3));
            assertThat(searchNumbers(imap.ok("UID SEARCH UID " + uids.get(1) + ":*"))).containsExactly(uids.get(1), uids.get(2));
            assertThat(searchNumbers(imap.ok("UID SEARCH UID " + uids.get(0) + "," + uids.get(2)))).containsExactly(uids.get(0), uids.get(2));
            assertThat(searchNumbers(imap.ok("SEARCH UID " + uids.get(1)))).as("sequence number of a UID").containsExactly(2L);
            assertThat(searchNumbers(imap.ok("UID SEARCH UID " + (uids.get(2) + 1) + ":" + (uids.get(2) + 10)))).isEmpty();
        }
    }

    /** SORT (RFC 5256) works if CAPABILITY announces it; otherwise the command is refused and the session goes on. */
    @Test
    void sortWorksIfAdvertisedAndIsRefusedCleanlyIfNot() throws Exception {
        try (ImapWire imap = login(newUser("sort"))) {
            Set<String> capabilities = capabilities(imap);
            appendThree(imap);
            imap.ok("SELECT INBOX");
            ImapWire.Reply sort = imap.command("SORT (SUBJECT) UTF-8 ALL");
            System.out.println("[ImapOnMaildirIT] SORT advertised: " + capabilities.contains("SORT") + ", reply: " + sort);
            if (capabilities.contains("SORT")) {
                assertThat(sort.isOk()).as("%s", sort).isTrue();
                assertThat(sort.lines("SORT")).containsExactly("* SORT 2 3 1");
            } else {
                assertThat(sort.tagged()).as("SORT not advertised: %s", sort).matches("\\S+ (BAD|NO) .*");
                assertThat(imap.command("NOOP").isOk()).as("NOOP after the refused SORT").isTrue();
            }
        }
    }

    @Test
    void threadWorksIfAdvertisedAndIsRefusedCleanlyIfNot() throws Exception {
        try (ImapWire imap = login(newUser("thread"))) {
            Set<String> capabilities = capabilities(imap);
            appendThree(imap);
            imap.ok("SELECT INBOX");
            boolean advertised = capabilities.contains("THREAD=ORDEREDSUBJECT") || capabilities.contains("THREAD=REFERENCES");
            String algorithm = capabilities.contains("THREAD=REFERENCES") ? "REFERENCES" : "ORDEREDSUBJECT";
            ImapWire.Reply thread = imap.command("THREAD " + algorithm + " UTF-8 ALL");
            System.out.println("[ImapOnMaildirIT] THREAD advertised: " + advertised + ", reply: " + thread);
            if (advertised) {
                assertThat(thread.isOk()).as("%s", thread).isTrue();
                assertThat(thread.lines("THREAD")).hasSize(1);
            } else {
                assertThat(thread.tagged()).as("THREAD not advertised: %s", thread).matches("\\S+ (BAD|NO) .*");
                assertThat(imap.command("NOOP").isOk()).as("NOOP after the refused THREAD").isTrue();
            }
        }
    }

    // ------------------------------------------------------------------ flags, EXPUNGE, \Recent on disk

    @Test
    void storedFlagsAndKeywordAreInTheFileNameAndDovecotKeywords() throws Exception {
        String user = newUser("flags");
        Path inbox = maildeck.instance().maildir(user);
        try (ImapWire imap = login(user)) {
            imap.appendOk("INBOX", null, message("flagged", "a@client.test", "flags"));
            imap.ok("SELECT INBOX");
            imap.ok("STORE 1 +FLAGS (\\Seen \\Flagged $Label1)");
        }
        Map<Integer, String> keywords = MaildirOnDisk.keywords(inbox);
        assertThat(keywords).as("dovecot-keywords").containsValue("$Label1");
        char letter = (char) ('a' + keywords.entrySet().stream().filter(entry -> entry.getValue().equals("$Label1"))
            .findFirst().orElseThrow().getKey());
        List<Path> files = MaildirOnDisk.messages(inbox);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getParent().getFileName().toString()).isEqualTo("cur");
        assertThat(files.get(0).getFileName().toString()).endsWith(":2,FS" + letter);
    }

    @Test
    void expungeDeletesTheMessageFileAndOnlyThatOne() throws Exception {
        String user = newUser("expunge");
        Path inbox = maildeck.instance().maildir(user);
        try (ImapWire imap = login(user)) {
            imap.appendOk("INBOX", null, message("to delete", "a@client.test", "gone"));
            imap.appendOk("INBOX", null, message("to keep", "a@client.test", "stays"));
            imap.ok("SELECT INBOX");
            imap.ok("STORE 1 +FLAGS (\\Deleted)");
            Path deleted = MaildirOnDisk.messages(inbox).stream()
                .filter(file -> MaildirOnDisk.flagLetters(file).orElse("").contains("T")).findFirst()
                .orElseThrow(() -> new AssertionError("no file with T (\\Deleted) in " + MaildirOnDisk.messages(inbox)));

            ImapWire.Reply expunge = imap.ok("EXPUNGE");

            assertThat(expunge.lines("1 EXPUNGE")).as("%s", expunge).hasSize(1);
            List<Path> left = MaildirOnDisk.messages(inbox);
            assertThat(left).as("files after EXPUNGE").hasSize(1);
            assertThat(left).noneMatch(file -> MaildirOnDisk.base(file).equals(MaildirOnDisk.base(deleted)));
            assertThat(new String(MaildirOnDisk.read(left.get(0)), ISO_8859_1)).contains("Subject: to keep");
        }
    }

    @Test
    void deliveredMessageWaitsInNewAndASelectMovesItToCur() throws Exception {
        String user = newUser("recent");
        Path inbox = maildeck.instance().maildir(user);
        deliverOverSmtp(user, message("delivered", "a@client.test", "recent"));
        MaildirOnDisk.awaitFiles(inbox, "new", 1, DELIVERY);
        assertThat(MaildirOnDisk.files(inbox, "cur")).as("cur/ before any SELECT").isEmpty();

        try (ImapWire imap = login(user)) {
            ImapWire.Reply select = imap.ok("SELECT INBOX");
            assertThat(select.lines("1 RECENT")).as("%s", select).hasSize(1);
        }
        assertThat(MaildirOnDisk.files(inbox, "new")).as("new/ after SELECT").isEmpty();
        assertThat(MaildirOnDisk.files(inbox, "cur")).as("cur/ after SELECT").hasSize(1);
    }

    /** RFC 3501 6.3.11: whatever flags APPEND sets, "the Recent flag is also set". */
    @Test
    void messageAppendedWithFlagsIsRecentInTheNextSession() throws Exception {
        String user = newUser("appendrecent");
        try (ImapWire imap = login(user)) {
            imap.appendOk("INBOX", "\\Seen", message("appended as read", "a@client.test", "recent too"));
        }
        try (ImapWire imap = login(user)) {
            ImapWire.Reply select = imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1 (FLAGS)");
            assertThat(select.lines("1 RECENT")).as("%s", select).hasSize(1);
            assertThat(fetch.lines("1 FETCH").get(0)).contains("\\Recent").contains("\\Seen");
        }
    }

    /** RFC 3501 6.3.2: EXAMINE is read-only; \Recent is not taken away, the file stays in new/. */
    @Test
    void examineLeavesADeliveredMessageInNew() throws Exception {
        String user = newUser("examine");
        Path inbox = maildeck.instance().maildir(user);
        deliverOverSmtp(user, message("delivered", "a@client.test", "recent"));
        MaildirOnDisk.awaitFiles(inbox, "new", 1, DELIVERY);

        try (ImapWire imap = login(user)) {
            imap.ok("EXAMINE INBOX");
            imap.ok("FETCH 1 (FLAGS)");
        }
        assertThat(MaildirOnDisk.files(inbox, "new")).as("new/ after EXAMINE").hasSize(1);
        assertThat(MaildirOnDisk.files(inbox, "cur")).as("cur/ after EXAMINE").isEmpty();
    }

    // ------------------------------------------------------------------ large messages

    @Test
    void fiveMegabyteAppendIsFetchedBackByteForByte() throws Exception {
        byte[] large = largeMessage(5 * 1024 * 1024);
        try (ImapWire imap = login(newUser("large"))) {
            imap.appendOk("INBOX", null, large);
            imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1 (BODY.PEEK[])");
            byte[] fetched = fetch.untagged().stream().filter(response -> response.text().startsWith("* 1 FETCH"))
                .findFirst().orElseThrow().literalAfter("BODY[]");
            assertThat(fetched.length).isEqualTo(large.length);
            assertThat(Arrays.equals(fetched, large)).as("BODY[] equals the appended bytes").isTrue();
        }
    }

    @Test
    void rfc822SizeOfALargeMessageIsItsSize() throws Exception {
        byte[] large = largeMessage(5 * 1024 * 1024 + 123);
        try (ImapWire imap = login(newUser("largesize"))) {
            imap.appendOk("INBOX", null, large);
            imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1 (RFC822.SIZE)");
            assertThat(Long.parseLong(group(fetch.lines("1 FETCH").get(0), "RFC822\\.SIZE (\\d+)"))).isEqualTo(large.length);
        }
    }

    // ------------------------------------------------------------------ helpers

    static byte[] message(String subject, String from, String body, String... extraHeaders) {
        StringBuilder message = new StringBuilder()
            .append("From: ").append(from).append("\r\n")
            .append("To: someone@").append(DOMAIN).append("\r\n")
            .append("Subject: ").append(subject).append("\r\n")
            .append("Message-ID: <").append(UUID.randomUUID()).append("@client.test>\r\n")
            .append("Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n");
        for (String header : extraHeaders) {
            message.append(header).append("\r\n");
        }
        message.append("\r\n").append(body).append("\r\n");
        return message.toString().getBytes(ISO_8859_1);
    }

    /** Three messages: 1 "Quarterly report" (alice, apollo), 2 "Lunch plans" (bob, gemini), 3 "Quarterly budget" (carol). */
    private static void appendThree(ImapWire imap) throws IOException {
        imap.appendOk("INBOX", null, message("Quarterly report", "alice@client.test", "The numbers and figures are in.", "X-Project: apollo"));
        imap.appendOk("INBOX", null, message("Lunch plans", "bob@client.test", "Pizza at noon?", "X-Project: gemini"));
        imap.appendOk("INBOX", null, message("Quarterly budget", "carol@client.test", "More figures here."));
    }

    /** A message of exactly {@code size} bytes: a header, then 76-character lines of pseudo-random base64 text. */
    private static byte[] largeMessage(int size) {
        String header = "From: big@client.test\r\nTo: someone@" + DOMAIN + "\r\nSubject: large\r\nMessage-ID: <"
            + UUID.randomUUID() + "@client.test>\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n";
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random random = new Random(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(header.getBytes(ISO_8859_1));
        int room;
        while ((room = size - out.size()) > 0) {
            int length = room >= 81 ? 76 : room - 2;
            for (int i = 0; i < length; i++) {
                out.write(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.writeBytes("\r\n".getBytes(ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static void deliverOverSmtp(String recipient, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(recipient), message), 250);
            smtp.command("QUIT");
        }
    }

    static Set<String> capabilities(ImapWire imap) throws IOException {
        ImapWire.Reply capability = imap.ok("CAPABILITY");
        String line = capability.lines("CAPABILITY").get(0);
        return Arrays.stream(line.substring("* CAPABILITY ".length()).split(" "))
            .map(String::toUpperCase).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Folder name to attributes, from LIST or LSUB responses. */
    static Map<String, Set<String>> listed(ImapWire.Reply list) {
        Map<String, Set<String>> folders = new LinkedHashMap<>();
        for (ImapWire.Response response : list.untagged()) {
            Matcher line = LIST_LINE.matcher(response.text());
            if (!line.matches()) {
                continue;
            }
            String name = line.group(2);
            if (name.startsWith("\"")) {
                name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            Set<String> attributes = line.group(1).isBlank() ? Set.of() : Set.of(line.group(1).trim().split(" +"));
            folders.put(name, attributes);
        }
        return folders;
    }

    static long uidValidity(ImapWire.Reply select) {
        return Long.parseLong(select.codeText("UIDVALIDITY").orElseThrow(() -> new AssertionError("no UIDVALIDITY: " + select)));
    }

    static long highestModSeq(ImapWire.Reply select) {
        return Long.parseLong(select.codeText("HIGHESTMODSEQ").orElseThrow(() -> new AssertionError("no HIGHESTMODSEQ: " + select)));
    }

    /** UID of the message with this sequence number, from a FETCH reply. */
    static long uidOf(ImapWire.Reply fetch, int sequenceNumber) {
        for (String line : fetch.lines(sequenceNumber + " FETCH")) {
            Matcher uid = Pattern.compile("[ (]UID (\\d+)").matcher(line);
            if (uid.find()) {
                return Long.parseLong(uid.group(1));
            }
        }
        throw new AssertionError("no UID for message " + sequenceNumber + " in " + fetch);
    }

    /** Sequence number to MODSEQ, from the FETCH responses of a reply. */
    static Map<Integer, Long> modSeqs(ImapWire.Reply result) {
        Map<Integer, Long> modSeqs = new LinkedHashMap<>();
        Pattern fetch = Pattern.compile("^\\* (\\d+) FETCH .*MODSEQ \\((\\d+)\\)");
        for (ImapWire.Response response : result.untagged()) {
            Matcher matcher = fetch.matcher(response.text());
            if (matcher.find()) {
                modSeqs.put(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
            }
        }
        return modSeqs;
    }

    /** The numbers of the (single) {@code * SEARCH} response. */
    static List<Long> searchNumbers(ImapWire.Reply search) {
        List<String> lines = search.lines("SEARCH");
        if (lines.size() != 1) {
            throw new AssertionError("expected one SEARCH response: " + search);
        }
        String numbers = lines.get(0).substring("* SEARCH".length()).trim();
        return numbers.isEmpty() ? List.of() : Arrays.stream(numbers.split(" +")).map(Long::parseLong).toList();
    }

    /** The return data of an ESEARCH response: MIN, MAX, COUNT, ALL. */
    static Map<String, String> esearch(String line) {
        Map<String, String> data = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("\\b(MIN|MAX|COUNT|ALL) (\\S+)").matcher(line);
        while (matcher.find()) {
            data.put(matcher.group(1), matcher.group(2));
        }
        return data;
    }

    /** A uid-set ({@code 3:5,7}) as the list of its UIDs, in order. */
    static List<Long> uidSet(String set) {
        List<Long> uids = new ArrayList<>();
        for (String part : set.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                uids.add(Long.parseLong(part));
            } else {
                long from = Long.parseLong(part.substring(0, colon));
                long to = Long.parseLong(part.substring(colon + 1));
                for (long uid = Math.min(from, to); uid <= Math.max(from, to); uid++) {
                    uids.add(uid);
                }
            }
        }
        return uids;
    }

    static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("no " + regex + " in " + text);
        }
        return matcher.group(1);
    }
}
