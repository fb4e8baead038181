package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.FileVisitResult.CONTINUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maildeck.assembly.it.MaildeckInstance.Result;

/**
 * No mailbox name, symlink or user name gets the Maildir store to read or write outside the
 * user's Maildir. Each hostile name is tried over IMAP by a logged-in user; the whole instance
 * tree (configuration, mail root, anything beside them; not {@code var/}, whose logs, queue and
 * database change on their own) is listed before and after, and a refused name must have changed
 * nothing at all, inside the user's Maildir or outside it.
 *
 * <p>Modified UTF-7: James decodes IMAP mailbox names, so {@code &AC8-} reaches the store as
 * "/" and {@code &AC4ALg-} as "..".</p>
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MaildirPathSafetyIT {

    private static final String DOMAIN = "paths.test";
    private static final String PASSWORD = TestServer.PASSWORD;
    private static final String LONG_NAME = "y".repeat(300);
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Of its own: the tests compare the whole instance tree before and after, which other classes' mail would change. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own();
    private static MaildeckInstance server;

    @BeforeAll
    static void addTheDomain() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN);
    }

    // ---------------------------------------------------------------- CREATE

    @Test
    void createOfDotDotIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE \"..\"", imap -> imap.command("CREATE \"..\""));
    }

    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"../x", "../../../../../escaped"})
    void createOfANameClimbingWithDotDotSlashIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    @Test
    void createOfANameWithDotDotBetweenSlashesIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE a/../../b", imap -> imap.command("CREATE \"a/../../b\""));
    }

    @Test
    void createOfANameWithASlashIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE a/b", imap -> imap.command("CREATE \"a/b\""));
    }

    @Test
    void createOfANameWithABackslashIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE a\\b", imap -> imap.commandWithLiteral("CREATE ", bytes("a\\b"), ""));
    }

    @ParameterizedTest(name = "CREATE literal with 0x{0}")
    @ValueSource(strings = {"01", "1f", "7f", "0a"})
    void createOfANameWithAControlCharacterIsRefused(String hex) throws Exception {
        byte[] name = bytes("x" + (char) Integer.parseInt(hex, 16) + "y");
        assertRefusedAndNothingChanged("CREATE x\\x" + hex + "y", imap -> imap.commandWithLiteral("CREATE ", name, ""));
    }

    @Test
    void createOfANameWithNulIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE x\\0y", imap -> imap.commandWithLiteral("CREATE ", bytes("x\0y"), ""));
    }

    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"%", "*", "a%b", "a*b"})
    void createOfANameWithAnImapWildcardIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"cur", "new", "tmp", "CUR"})
    void createOfAMaildirSubdirectoryNameIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    /** The whole name is refused before anything is created: no parent folder "a" is left behind. */
    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"a.tmp", "b.cur", "c.new"})
    void createOfAHierarchyWithAMaildirSubdirectoryNameIsRefusedWithoutCreatingItsParent(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    @Test
    void createOfAThreeHundredCharacterNameIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE <300 x y>", imap -> imap.command("CREATE " + quoted(LONG_NAME)));
    }

    @Test
    void createOfANameStartingWithTildeIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE ~x", imap -> imap.command("CREATE \"~x\""));
    }

    @Test
    void createOfANameWithALeadingDotIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE .a", imap -> imap.command("CREATE \".a\""));
    }

    @Test
    void createOfANameWithADoubledDotIsRefused() throws Exception {
        assertRefusedAndNothingChanged("CREATE a..b", imap -> imap.command("CREATE \"a..b\""));
    }

    /**
     * RFC 3501 6.3.3: a trailing hierarchy separator only declares that the client intends to
     * create names below; a server that does not need the declaration ignores it. So "t." is
     * either refused or creates the folder "t" ({@code .t}) and nothing else.
     */
    @Test
    void createOfANameWithATrailingDotCreatesAtMostTheFolderWithoutIt() throws Exception {
        String user = newUser("trailing");
        Path maildir = server.maildir(user);
        Set<String> before = tree();
        ImapWire.Reply reply;
        Set<String> listed;
        try (ImapWire imap = login(user)) {
            reply = imap.command("CREATE \"t.\"");
            listed = listedNames(imap);
        }
        Set<String> added = addedSince(before);
        note("CREATE t. -> " + reply + "; new paths " + added);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(reply.isOk() || reply.isRefused()).as("tagged reply to CREATE t.: %s", reply).isTrue();
        if (reply.isOk()) {
            softly.assertThat(listed).as("LIST after CREATE t.").contains("t").doesNotContain("t.");
            softly.assertThat(added).as("paths created by CREATE t.")
                .allMatch(path -> path.equals(relative(maildir.resolve(".t"))) || path.startsWith(relative(maildir.resolve(".t")) + "/"));
        } else {
            softly.assertThat(added).as("paths created by a refused CREATE t.").isEmpty();
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"&AC8-", "x&AC8-y", "&AC4ALgAv-x", "&AC4ALg-&AC8-&AC4ALg-&AC8-x"})
    void createOfAModifiedUtf7NameThatDecodesToASlashIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    @ParameterizedTest(name = "CREATE \"{0}\"")
    @ValueSource(strings = {"&AC4ALg-", "a&AC4ALg-b", "&AC4-a", "&AC4ALgAu-"})
    void createOfAModifiedUtf7NameThatDecodesToDotsIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("CREATE " + name, imap -> imap.command("CREATE " + quoted(name)));
    }

    // ---------------------------------------------------------------- RENAME, SELECT, APPEND, DELETE

    @ParameterizedTest(name = "RENAME Existing \"{0}\"")
    @ValueSource(strings = {"../x", "../../../../../escaped", "a/b", "&AC8-", "&AC4ALg-", "cur", "z.tmp", "~x", ".a", "a..b",
        "&AC4ALg-&AC8-x"})
    void renameOfAFolderToAHostileNameIsRefusedAndTheFolderStaysWhereItWas(String name) throws Exception {
        String user = newUser("rename");
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE \"Existing\"");
        }
        assertRefusedAndNothingChanged(user, "RENAME Existing " + name, imap -> imap.command("RENAME \"Existing\" " + quoted(name)));
        assertThat(server.maildir(user).resolve(".Existing/cur")).isDirectory();
    }

    @Test
    void renameOfAFolderToAThreeHundredCharacterNameIsRefused() throws Exception {
        String user = newUser("renamelong");
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE \"Existing\"");
        }
        assertRefusedAndNothingChanged(user, "RENAME Existing <300 x y>", imap -> imap.command("RENAME \"Existing\" " + quoted(LONG_NAME)));
    }

    @Test
    void renameOfAFolderToANameWithAControlCharacterIsRefused() throws Exception {
        String user = newUser("renamectl");
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE \"Existing\"");
        }
        assertRefusedAndNothingChanged(user, "RENAME Existing x\\x01y",
            imap -> imap.commandWithLiteral("RENAME \"Existing\" ", bytes("x\u0001y"), ""));
    }

    @ParameterizedTest(name = "RENAME \"{0}\" Taken")
    @ValueSource(strings = {"..", "&AC4ALg-", "&AC4ALg-&AC8-&AC4ALg-", "../Maildir", "cur"})
    void renameFromAHostileNameIsRefused(String name) throws Exception {
        assertRefusedAndNothingChanged("RENAME " + name + " Taken", imap -> imap.command("RENAME " + quoted(name) + " \"Taken\""));
    }

    @ParameterizedTest(name = "SELECT/EXAMINE/STATUS \"{0}\"")
    @ValueSource(strings = {"..", "../x", "&AC4ALg-", "&AC4ALg-&AC8-&AC4ALg-", "cur", "tmp", "a/b", "~x", ".a", "a..b"})
    void selectExamineAndStatusOfAHostileNameAreRefused(String name) throws Exception {
        for (String command : List.of("SELECT", "EXAMINE", "STATUS")) {
            String line = command + " " + quoted(name) + (command.equals("STATUS") ? " (MESSAGES UIDNEXT)" : "");
            assertRefusedAndNothingChanged(line, imap -> imap.command(line));
        }
    }

    @ParameterizedTest(name = "APPEND \"{0}\"")
    @ValueSource(strings = {"..", "../x", "&AC8-x", "&AC4ALg-&AC8-x", "tmp", "a.tmp", "~x", "a/b"})
    void appendToAHostileNameIsRefusedAndWritesNothing(String name) throws Exception {
        byte[] message = bytes("From: a@client.test\r\nSubject: append " + UUID.randomUUID() + "\r\n\r\nHello.\r\n");
        assertRefusedAndNothingChanged("APPEND " + name, imap -> imap.commandWithLiteral("APPEND " + quoted(name) + " ", message, ""));
    }

    @ParameterizedTest(name = "DELETE \"{0}\"")
    @ValueSource(strings = {"..", "&AC4ALg-", "&AC4ALg-&AC8-&AC4ALg-", "../Maildir", "cur", "new"})
    void deleteOfAHostileNameRemovesNothing(String name) throws Exception {
        assertRefusedAndNothingChanged("DELETE " + name, imap -> imap.command("DELETE " + quoted(name)));
    }

    // ---------------------------------------------------------------- symlinks

    @Test
    void folderSymlinkedToADirectoryOutsideIsNotListed() throws Exception {
        String user = newUser("symlist");
        Outside outside = symlinkedFolder(user, "Evil");
        Set<String> listed;
        try (ImapWire imap = login(user)) {
            listed = listedNames(imap);
        }
        assertThat(listed).as("LIST \"\" \"*\"").contains("INBOX").doesNotContain("Evil");
        outside.assertUntouched();
    }

    @Test
    void folderSymlinkedToADirectoryOutsideCannotBeSelectedExaminedOrStatused() throws Exception {
        String user = newUser("symselect");
        Outside outside = symlinkedFolder(user, "Evil");
        for (String command : List.of("SELECT \"Evil\"", "EXAMINE \"Evil\"", "STATUS \"Evil\" (MESSAGES UIDNEXT)")) {
            assertRefusedAndNothingChanged(user, command, imap -> imap.command(command));
        }
        outside.assertUntouched();
    }

    @Test
    void messageInAFolderSymlinkedOutsideIsNeverServed() throws Exception {
        String user = newUser("symfetch");
        Outside outside = symlinkedFolder(user, "Evil");
        try (ImapWire imap = login(user)) {
            ImapWire.Reply select = imap.command("SELECT \"Evil\"");
            ImapWire.Reply fetch = imap.command("FETCH 1:* (BODY.PEEK[])");
            ImapWire.Reply uidFetch = imap.command("UID FETCH 1:* (BODY.PEEK[])");
            ImapWire.Reply search = imap.command("SEARCH TEXT \"" + outside.secret + "\"");
            assertThat(select.isRefused()).as("SELECT Evil: %s", select).isTrue();
            for (ImapWire.Reply reply : List.of(select, fetch, uidFetch, search)) {
                assertThat(served(reply)).as("what the server sent: %s", reply).doesNotContain(outside.secret);
            }
        }
        outside.assertUntouched();
    }

    @Test
    void folderSymlinkedOutsideIsNeitherWrittenToNorRenamedNorDeleted() throws Exception {
        String user = newUser("symwrite");
        Outside outside = symlinkedFolder(user, "Evil");
        try (ImapWire imap = login(user)) {
            imap.ok("CREATE \"Src\"");
        }
        byte[] message = bytes("From: a@client.test\r\nSubject: into the symlink\r\n\r\nHello.\r\n");
        assertRefusedAndNothingChanged(user, "APPEND Evil", imap -> imap.commandWithLiteral("APPEND \"Evil\" ", message, ""));
        assertRefusedAndNothingChanged(user, "CREATE Evil", imap -> imap.command("CREATE \"Evil\""));
        assertRefusedAndNothingChanged(user, "RENAME Evil Good", imap -> imap.command("RENAME \"Evil\" \"Good\""));
        assertRefusedAndNothingChanged(user, "RENAME Src Evil", imap -> imap.command("RENAME \"Src\" \"Evil\""));
        assertRefusedAndNothingChanged(user, "DELETE Evil", imap -> imap.command("DELETE \"Evil\""));
        assertThat(Files.isSymbolicLink(server.maildir(user).resolve(".Evil"))).as(".Evil is still the symlink").isTrue();
        outside.assertUntouched();
    }

    @ParameterizedTest(name = "symlink in INBOX {0}/")
    @ValueSource(strings = {"cur", "new"})
    void messageFileSymlinkedToAFileOutsideIsNotServedAndTheFileIsLeftAlone(String sub) throws Exception {
        String user = newUser("symfile");
        String subject = "the real one " + UUID.randomUUID();
        deliver(user, subject);
        Path maildir = server.maildir(user);
        Outside outside = Outside.create("file");
        String name = "1700000001.M1P1Q1.outside,S=" + outside.messageBytes.length + ",W=" + outside.messageBytes.length
            + (sub.equals("cur") ? ":2,S" : "");
        Files.createSymbolicLink(maildir.resolve(sub).resolve(name), outside.file);

        try (ImapWire imap = login(user)) {
            ImapWire.Reply select = imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH 1:* (BODY.PEEK[] RFC822.SIZE)");
            ImapWire.Reply search = imap.command("SEARCH TEXT \"" + outside.secret + "\"");
            ImapWire.Reply store = imap.command("STORE 1:* +FLAGS (\\Deleted)");
            ImapWire.Reply expunge = imap.command("EXPUNGE");
            assertThat(select.exists()).as("EXISTS counts the delivered message only: %s", select).contains(1L);
            for (ImapWire.Reply reply : List.of(select, fetch, search, store, expunge)) {
                assertThat(served(reply)).as("what the server sent: %s", reply).doesNotContain(outside.secret);
            }
            assertThat(served(fetch)).as("the delivered message is served").contains(subject);
        }
        outside.assertUntouched();
    }

    // ---------------------------------------------------------------- users

    /**
     * {@code maildeck user add} refuses a local part that could climb out of its domain's
     * directory; if it accepts one, mail to that user and a login create nothing outside the mail
     * root, and nothing in it but {@code <domain>/<one directory>/Maildir}.
     */
    @ParameterizedTest(name = "maildeck user add {0}@" + DOMAIN)
    @ValueSource(strings = {"../x", "a/b", "../../../../escaped", "x/../../y"})
    void adminCliRefusesAUserWhoseLocalPartCouldEscapeOrMailToItStaysInsideTheMailRoot(String localPart) throws Exception {
        String address = localPart + "@" + DOMAIN;
        Set<String> before = tree();
        Result add = server.maildeckWithInput(PASSWORD + "\n", "user", "add", address, "--password-stdin");
        note("maildeck user add " + address + ": " + add);
        if (add.exitCode() != 0) {
            assertThat(server.maildeck("user", "list").stdout().lines()).as("users after a refused add").doesNotContain(address);
            assertThat(addedSince(before)).as("paths created by a refused user add").isEmpty();
            return;
        }
        mailAndLoginStayInsideTheMailRoot(address, before);
    }

    /** The user repository itself (WebAdmin, no CLI check) takes such names: the store must not. */
    @ParameterizedTest(name = "WebAdmin user {0}@" + DOMAIN)
    @ValueSource(strings = {"..", "../y", ".hidden", "z/../../../../y"})
    void userWithAPathLikeLocalPartFromWebAdminGetsNothingOutsideTheMailRoot(String localPart) throws Exception {
        String address = localPart + "@" + DOMAIN;
        Set<String> before = tree();
        int status = putUser(address);
        note("PUT /users/" + address + " -> " + status);
        if (status / 100 != 2) {
            assertThat(addedSince(before)).as("paths created by a refused user").isEmpty();
            return;
        }
        mailAndLoginStayInsideTheMailRoot(address, before);
    }

    /** A LOGIN answered NO leaves the session not authenticated (RFC 3501 6.2.3), whatever the reason. */
    @Test
    void refusedLoginOfAUserWhoseMaildirCannotExistLeavesTheSessionUnauthenticated() throws Exception {
        String address = "slash/user@" + DOMAIN;
        assertThat(putUser(address)).as("PUT /users/%s", address).isBetween(200, 299);
        try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
            ImapWire.Reply login = imap.command("LOGIN " + quoted(address) + " " + quoted(PASSWORD));
            ImapWire.Reply list = imap.command("LIST \"\" \"*\"");
            note("LOGIN " + address + " -> " + login + "; then LIST -> " + list);
            if (login.isRefused()) {
                assertThat(list.isOk()).as("LIST after a refused LOGIN (%s): %s", login.tagged(), list).isFalse();
            }
        }
    }

    private static void mailAndLoginStayInsideTheMailRoot(String address, Set<String> before) throws Exception {
        String localPart = address.substring(0, address.lastIndexOf('@'));
        for (String recipient : List.of("<" + address + ">", "<\"" + localPart + "\"@" + DOMAIN + ">")) {
            try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
                SmtpClient.expect(smtp.command("EHLO client.test"), 250);
                SmtpClient.expect(smtp.command("MAIL FROM:<sender@client.test>"), 250);
                SmtpClient.Reply rcpt = smtp.command("RCPT TO:" + recipient);
                note("RCPT TO:" + recipient + " -> " + rcpt);
                if (rcpt.code() == 250) {
                    SmtpClient.expect(smtp.command("DATA"), 354);
                    SmtpClient.Reply end = smtp.sendData(bytes("From: sender@client.test\r\nTo: " + recipient
                        + "\r\nSubject: path user\r\n\r\nHello.\r\n"));
                    note("end of data -> " + end);
                    if (end.code() == 250) {
                        awaitDeliveryOutcome(address);
                    }
                }
            }
        }
        try (ImapWire imap = ImapWire.connect(server.port("imap"))) {
            ImapWire.Reply login = imap.command("LOGIN " + quoted(address) + " " + quoted(PASSWORD));
            note("LOGIN " + address + " -> " + login);
            if (login.isOk()) {
                imap.command("LIST \"\" \"*\"");
                imap.command("SELECT INBOX");
            }
        }

        Set<String> added = addedSince(before);
        String root = relative(server.mailRoot());
        List<String> outsideRoot = added.stream().filter(path -> !path.equals(root) && !path.startsWith(root + "/")).toList();
        List<String> misplaced = added.stream()
            .filter(path -> path.startsWith(root + "/"))
            .map(path -> Path.of(path.substring(root.length() + 1)))
            .filter(path -> !path.getName(0).toString().equals(DOMAIN)
                || (path.getNameCount() >= 3 && !path.getName(2).toString().equals("Maildir")))
            .map(Path::toString)
            .toList();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(outsideRoot).as("paths created outside the mail root for %s", address).isEmpty();
        softly.assertThat(misplaced).as("paths in the mail root not of the form %s/<one directory>/Maildir for %s", DOMAIN, address)
            .isEmpty();
        softly.assertThat(server.mailRoot().resolve(DOMAIN).resolve(localPart).resolve("Maildir").normalize())
            .as("where the local part would lead if it were used as a path").doesNotExist();
        softly.assertAll();
    }

    /** Waits until the mail log says what became of the delivery to {@code address}. */
    private static void awaitDeliveryOutcome(String address) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (server.serverLog().lines().noneMatch(line -> line.contains("to=<" + address + ">") && line.contains("status="))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail log line for " + address + " within " + BOUND);
            }
            Thread.sleep(200);
        }
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    interface Attempt {
        ImapWire.Reply run(ImapWire imap) throws IOException;
    }

    /** A new user, logged in once so that the Maildir and the default folders exist before any snapshot. */
    private static String newUser(String prefix) throws IOException {
        String address = maildeck.newUser(prefix, DOMAIN);
        try (ImapWire imap = login(address)) {
            imap.ok("SELECT INBOX");
        }
        return address;
    }

    private static ImapWire login(String user) throws IOException {
        return ImapWire.login(server.port("imap"), user, PASSWORD);
    }

    /** The user of this test's attempts, made on first use (one per test, not one per attempt). */
    private String namesUser;

    private void assertRefusedAndNothingChanged(String what, Attempt attempt) throws IOException {
        if (namesUser == null) {
            namesUser = newUser("names");
        }
        assertRefusedAndNothingChanged(namesUser, what, attempt);
    }

    /** The attempt gets a tagged NO or BAD, and the instance tree is exactly as before. */
    private static void assertRefusedAndNothingChanged(String user, String what, Attempt attempt) throws IOException {
        String maildir = relative(server.maildir(user));
        Set<String> before = tree();
        ImapWire.Reply reply;
        Set<String> listed;
        try (ImapWire imap = login(user)) {
            reply = attempt.run(imap);
            listed = reply.closed() ? Set.of() : listedNames(imap);
        }
        Set<String> after = tree();
        Set<String> added = withoutIndexesOfExistingFolders(difference(after, before), before);
        Set<String> removed = difference(before, after);
        note(ImapWire.printable(what) + " -> " + reply.tagged());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(reply.isRefused()).as("%s gets a tagged NO or BAD; got %s", ImapWire.printable(what), reply).isTrue();
        softly.assertThat(added.stream().filter(path -> !path.startsWith(maildir + "/")).toList())
            .as("paths created outside the Maildir %s by %s", maildir, ImapWire.printable(what)).isEmpty();
        softly.assertThat(added.stream().filter(path -> path.startsWith(maildir + "/")).toList())
            .as("paths created inside the Maildir by the refused %s", ImapWire.printable(what)).isEmpty();
        softly.assertThat(removed).as("paths gone after %s", ImapWire.printable(what)).isEmpty();
        softly.assertThat(listed).as("LIST after %s", ImapWire.printable(what))
            .containsExactlyInAnyOrderElementsOf(foldersOnDisk(server.maildir(user)));
        softly.assertAll();
    }

    /**
     * Every path under the instance home, relative to it: configuration, mail root and anything
     * else, but not {@code var/} (logs, queue, database change on their own), not the CLI's own
     * temporary files, and not the store's short-lived lock and index temp files. A file that is
     * gone between its directory's listing and its own reading (such a temp file) is not an error.
     */
    private static Set<String> tree() {
        Path home = server.home();
        Set<String> paths = new TreeSet<>();
        try {
            Files.walkFileTree(home, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    if (!directory.equals(home)) {
                        paths.add(relative(directory));
                    }
                    return CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    paths.add(relative(file));
                    return CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return CONTINUE;
                    }
                    throw failure;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths.stream()
            .filter(path -> !path.equals("var") && !path.startsWith("var/"))
            .filter(path -> !path.matches("cmd\\d+\\.(out|err)"))
            .filter(path -> !path.endsWith(".lock") && !path.endsWith("/maildeck.index.tmp"))
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Paths that are in the tree now and were not in {@code before}, store caches of existing folders aside. */
    private static Set<String> addedSince(Set<String> before) {
        return withoutIndexesOfExistingFolders(difference(tree(), before), before);
    }

    /**
     * Without {@code maildeck.index} files that appeared in folders that existed before: the
     * store writes its cache of a folder when it first reads it (a LIST does), which creates no
     * folder and reaches nowhere.
     */
    private static Set<String> withoutIndexesOfExistingFolders(Set<String> added, Set<String> before) {
        Set<String> kept = new TreeSet<>(added);
        kept.removeIf(path -> path.endsWith("/maildeck.index") && before.contains(path.substring(0, path.lastIndexOf('/'))));
        return kept;
    }

    private static String relative(Path path) {
        return server.home().relativize(path).toString();
    }

    private static Set<String> difference(Set<String> from, Set<String> minus) {
        Set<String> difference = new TreeSet<>(from);
        difference.removeAll(minus);
        return difference;
    }

    /** INBOX and the folder names whose directories are real directories beside it (what LIST should show). */
    private static Set<String> foldersOnDisk(Path maildir) {
        Set<String> names = new TreeSet<>();
        names.add("INBOX");
        try (Stream<Path> entries = Files.list(maildir)) {
            entries.filter(entry -> entry.getFileName().toString().startsWith(".")
                    && Files.isDirectory(entry.resolve("cur"), LinkOption.NOFOLLOW_LINKS)
                    && !Files.isSymbolicLink(entry))
                .forEach(entry -> names.add(ImapWire.decodeModifiedUtf7(entry.getFileName().toString().substring(1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The decoded names of {@code LIST "" "*"}. */
    private static Set<String> listedNames(ImapWire imap) throws IOException {
        ImapWire.Reply list = imap.ok("LIST \"\" \"*\"");
        Set<String> names = new TreeSet<>();
        Pattern line = Pattern.compile("\\* LIST \\([^)]*\\) (?:NIL|\"(?:[^\"\\\\]|\\\\.)*\") (.*)");
        for (ImapWire.Response response : list.untagged()) {
            Matcher matcher = line.matcher(response.text());
            if (!matcher.matches()) {
                continue;
            }
            String raw = matcher.group(1);
            String name;
            if (raw.matches("\\{\\d+\\}") && response.literals().size() == 1) {
                name = new String(response.literals().get(0), ISO_8859_1);
            } else if (raw.startsWith("\"") && raw.endsWith("\"")) {
                name = raw.substring(1, raw.length() - 1).replaceAll("\\\\(.)", "$1");
            } else {
                name = raw;
            }
            names.add(ImapWire.decodeModifiedUtf7(name));
        }
        return names;
    }

    /** Everything the server sent for a command, literals included. */
    private static String served(ImapWire.Reply reply) {
        StringBuilder all = new StringBuilder();
        for (ImapWire.Response response : reply.untagged()) {
            all.append(response.text()).append('\n');
            response.literals().forEach(literal -> all.append(new String(literal, ISO_8859_1)).append('\n'));
        }
        return all.append(reply.tagged()).toString();
    }

    /** A directory or file outside the mail root (in the instance home) holding a message with a secret. */
    private static final class Outside {
        final Path directory;
        final Path file;
        final String secret;
        final byte[] messageBytes;
        private final Set<String> listing;
        private final FileTime fileModified;

        private Outside(Path directory, Path file, String secret, byte[] messageBytes) throws IOException {
            this.directory = directory;
            this.file = file;
            this.secret = secret;
            this.messageBytes = messageBytes;
            this.listing = list();
            this.fileModified = Files.getLastModifiedTime(file);
        }

        /**
         * {@code <home>/outside-<id>/message} ({@code kind} "file"), or {@code <home>/outside-<id>/folder}
         * with cur/ new/ tmp/ and one message in cur/ ({@code kind} "folder").
         */
        static Outside create(String kind) throws IOException {
            Path directory = Files.createDirectories(server.home().resolve("outside-" + UUID.randomUUID().toString().substring(0, 8)));
            String secret = "SECRET-" + UUID.randomUUID();
            byte[] message = bytes("From: outsider@client.test\r\nSubject: " + secret + "\r\nMessage-ID: <" + secret
                + "@client.test>\r\n\r\n" + secret + "\r\n");
            Path file;
            if (kind.equals("file")) {
                file = directory.resolve("message");
            } else {
                Path folder = directory.resolve("folder");
                for (String sub : List.of("cur", "new", "tmp")) {
                    Files.createDirectories(folder.resolve(sub));
                }
                Files.writeString(folder.resolve("maildirfolder"), "");
                file = folder.resolve("cur").resolve("1700000000.M1P1Q1.outside,S=" + message.length + ",W=" + message.length + ":2,S");
            }
            Files.write(file, message);
            return new Outside(directory, file, secret, message);
        }

        Set<String> list() throws IOException {
            try (Stream<Path> paths = Files.walk(directory)) {
                return paths.map(path -> directory.relativize(path).toString()).collect(Collectors.toCollection(TreeSet::new));
            }
        }

        void assertUntouched() throws IOException {
            assertThat(list()).as("the directory outside the mail root, %s", directory).isEqualTo(listing);
            assertThat(new String(Files.readAllBytes(file), ISO_8859_1)).as("the message file outside the mail root")
                .isEqualTo(new String(messageBytes, ISO_8859_1));
            assertThat(Files.getLastModifiedTime(file)).as("modification time of the file outside").isEqualTo(fileModified);
        }
    }

    /** {@code <maildir>/.<name>} as a symlink to a folder directory outside the mail root. */
    private static Outside symlinkedFolder(String user, String name) throws IOException {
        Outside outside = Outside.create("folder");
        Files.createSymbolicLink(server.maildir(user).resolve("." + name), outside.directory.resolve("folder"));
        return outside;
    }

    private static void deliver(String user, String subject) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(user), bytes("From: sender@client.test\r\nTo: " + user
                + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID() + "@client.test>\r\n\r\nHello.\r\n")), 250);
        }
        new Mailbox(server, user, PASSWORD).awaitSubject(subject, BOUND);
    }

    private static int putUser(String address) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("webadmin") + "/users/"
                + URLEncoder.encode(address, UTF_8).replace("+", "%20").replace("%40", "@")))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", server.adminAuthorization())
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}"))
            .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(ISO_8859_1);
    }

    private static void note(String what) {
        System.out.println("[MaildirPathSafetyIT] " + what);
    }
}
