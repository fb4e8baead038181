package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;
import org.maildeck.testsupport.ManualClock;

class MaildirFolderTest {

    private static final String HOST = "testhost";
    private static final long UIDVALIDITY = 1795243169L;
    private static final String LF_MESSAGE = "From: a@example.com\nTo: alice@example.com\nSubject: one\n\nHello world\n";
    private static final Date INTERNAL_DATE = Date.from(Instant.parse("2020-01-02T03:04:05Z"));

    @TempDir
    Path temp;

    private Path dir;
    private MaildirFolder folder;

    @BeforeEach
    void createFolder() throws IOException {
        dir = temp.resolve("Maildir");
        folder = newFolder(dir);
    }

    private static MaildirFolder newFolder(Path directory) throws IOException {
        Files.createDirectories(directory);
        MaildirFolder created = new MaildirFolder(directory, HOST, Durability.UNWATCHED);
        created.create(UIDVALIDITY);
        return created;
    }

    /** A second view of the same directory: what the process sees after a restart. */
    private MaildirFolder restarted() {
        return new MaildirFolder(dir, HOST, Durability.UNWATCHED);
    }

    private static InputStream content(String text) {
        return new ByteArrayInputStream(text.getBytes(UTF_8));
    }

    private static Flags flags(Flags.Flag... systemFlags) {
        Flags flags = new Flags();
        for (Flags.Flag flag : systemFlags) {
            flags.add(flag);
        }
        return flags;
    }

    private IndexEntry deliver(String text, Flags flags) throws IOException {
        return folder.deliver(content(text), flags, INTERNAL_DATE, Optional.empty());
    }

    private IndexEntry deliver() throws IOException {
        return deliver(LF_MESSAGE, new Flags());
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }

    private static String read(MaildirFolder folder, long uid) throws IOException {
        try (InputStream in = folder.openContent(uid)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    /** Appends to the uidlist the way Dovecot does (plain write at the end). */
    private void appendToUidListAsDovecot(String record) throws IOException {
        Files.writeString(dir.resolve("dovecot-uidlist"), record, UTF_8, StandardOpenOption.APPEND);
    }

    // ---- delivery ------------------------------------------------------------------------------

    @Test
    void deliveryWithoutFlagsGoesToNewWithoutInfo() throws IOException {
        IndexEntry entry = deliver();

        assertThat(entry.inNew()).isTrue();
        assertThat(entry.fileName()).doesNotContain(":");
        assertThat(list(dir.resolve("new"))).containsExactly(entry.fileName());
        assertThat(list(dir.resolve("cur"))).isEmpty();
    }

    @Test
    void deliveredFileNameFollowsDovecotsPattern() throws IOException {
        IndexEntry entry = deliver();

        assertThat(entry.fileName()).matches("\\d+\\.M\\d+P\\d+Q\\d+\\." + HOST + ",S=\\d+,W=\\d+");
    }

    @Test
    void deliveryWithFlagsGoesToCurWithTheLettersInAsciiOrder() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN, Flags.Flag.FLAGGED));

        assertThat(entry.inNew()).isFalse();
        assertThat(entry.fileName()).endsWith(":2,FS");
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.fileName());
        assertThat(list(dir.resolve("new"))).isEmpty();
    }

    @Test
    void deliveryWithAKeywordOnlyGoesToCurWithItsLetter() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, new Flags("$Forwarded"));

        assertThat(entry.fileName()).endsWith(":2,a");
        assertThat(Files.readString(dir.resolve("dovecot-keywords"), UTF_8)).isEqualTo("0 $Forwarded\n");
        assertThat(folder.flagsOf(entry).getUserFlags()).containsExactly("$Forwarded");
    }

    @Test
    void recentIsNotStoredAsAFlag() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.RECENT));

        assertThat(entry.inNew()).isTrue();
        assertThat(entry.fileName()).doesNotContain(":2,");
    }

    @Test
    void sizeIsTheStoredByteCountAndVirtualSizeCountsCrlfForBareLf() throws IOException {
        IndexEntry entry = deliver();

        int size = LF_MESSAGE.getBytes(UTF_8).length;
        int lines = (int) LF_MESSAGE.chars().filter(c -> c == '\n').count();
        assertThat(entry.fileName()).endsWith(",S=" + size + ",W=" + (size + lines));
        assertThat(entry.size()).isEqualTo(size);
        assertThat(entry.virtualSize()).isEqualTo(size + lines);
        assertThat(Files.size(dir.resolve(entry.relativePath()))).isEqualTo(size);
    }

    @Test
    void crlfContentHasEqualSizeAndVirtualSize() throws IOException {
        IndexEntry entry = deliver(crlf(LF_MESSAGE), new Flags());

        int size = crlf(LF_MESSAGE).getBytes(UTF_8).length;
        assertThat(entry.fileName()).endsWith(",S=" + size + ",W=" + size);
    }

    @Test
    void mixedLineEndingsCountOnlyBareLfTwice() throws IOException {
        IndexEntry entry = deliver("a\r\nb\nc\r\n\n", new Flags());

        assertThat(entry.fileName()).endsWith(",S=9,W=11");
    }

    @Test
    void deliveryLeavesNothingInTmp() throws IOException {
        deliver();
        deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));

        assertThat(list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void storedContentIsExactlyWhatWasDelivered() throws IOException {
        IndexEntry entry = deliver();

        assertThat(Files.readString(dir.resolve(entry.relativePath()), UTF_8)).isEqualTo(LF_MESSAGE);
    }

    @Test
    void fileMtimeIsTheInternalDate() throws IOException {
        IndexEntry entry = deliver();

        assertThat(Files.getLastModifiedTime(dir.resolve(entry.relativePath())).toInstant())
            .isEqualTo(INTERNAL_DATE.toInstant());
        assertThat(entry.internalDate()).isEqualTo(INTERNAL_DATE.getTime());
    }

    @Test
    void uidsIncreaseWithEachDelivery() throws IOException {
        long first = deliver().uid();
        long second = deliver().uid();
        long third = deliver().uid();

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(third).isEqualTo(3);
        assertThat(folder.nextUid()).isEqualTo(4);
    }

    @Test
    void deliveryIsRecordedInTheUidList() throws IOException {
        IndexEntry entry = deliver();

        assertThat(Files.readAllLines(dir.resolve("dovecot-uidlist"), UTF_8)).endsWith("1 :" + entry.base());
    }

    @Test
    void deliveryWithTheSameKeyTwiceStoresOneMessage() throws IOException {
        IndexEntry first = folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/alice"));
        IndexEntry second = folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/alice"));

        assertThat(second).isEqualTo(first);
        assertThat(list(dir.resolve("new"))).hasSize(1);
        assertThat(folder.count()).isEqualTo(1);
    }

    @Test
    void deliveryKeyIsRememberedAfterARestart() throws IOException {
        IndexEntry first = folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/alice"));

        IndexEntry again = restarted().deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/alice"));

        assertThat(again.uid()).isEqualTo(first.uid());
        assertThat(list(dir.resolve("new"))).hasSize(1);
    }

    @Test
    void aDeliveryRecordedUnderTheOlderKeyFormIsFoundAfterAnUpgrade() throws IOException {
        IndexEntry first = folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("Mail1 alice INBOX 0123456789abcdef"));

        Optional<IndexEntry> found = restarted().earlierDelivery("Mail1 alice INBOX c01234567.61", () -> "Mail1 alice INBOX 0123456789abcdef");

        assertThat(found.map(IndexEntry::uid)).contains(first.uid());
    }

    @Test
    void theOlderKeyFormIsNotMadeWhenTheLedgerHoldsNone() throws IOException {
        folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("Mail1 alice INBOX c01234567.61"));

        Optional<IndexEntry> found = restarted().earlierDelivery("Mail2 alice INBOX c01234567.61", () -> {
            throw new AssertionError("the older form was asked for");
        });

        assertThat(found).isEmpty();
    }

    @Test
    void deliveriesWithDifferentKeysAreStoredSeparately() throws IOException {
        folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/alice"));
        folder.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.of("mail-1/bob"));

        assertThat(folder.count()).isEqualTo(2);
    }

    @Test
    void deliveryRefusedForTheKeywordLimitLeavesNothingInTmp() throws IOException {
        StringBuilder keywordsFile = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            keywordsFile.append(i).append(" kw").append(i).append('\n');
        }
        Files.writeString(dir.resolve("dovecot-keywords"), keywordsFile, UTF_8);

        assertThatThrownBy(() -> deliver(LF_MESSAGE, new Flags("one-too-many")))
            .isInstanceOf(DovecotKeywords.KeywordLimitException.class);

        assertThat(list(dir.resolve("tmp"))).isEmpty();
    }

    // ---- flags ----------------------------------------------------------------------------------

    @Test
    void updateFlagsRenamesTheFileAndRaisesTheModSeq() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        long before = folder.highestModSeq();

        List<MaildirFolder.FlagChange> changes = folder.updateFlags(entry.uid(), entry.uid(), current -> {
            current.add(Flags.Flag.ANSWERED);
            return current;
        });

        IndexEntry after = changes.get(0).after();
        assertThat(after.fileName()).isEqualTo(entry.base() + ":2,RS");
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.base() + ":2,RS");
        assertThat(after.modSeq()).isGreaterThan(before);
        assertThat(folder.highestModSeq()).isEqualTo(after.modSeq());
        assertThat(folder.entry(entry.uid())).contains(after);
    }

    @Test
    void updateFlagsOfAMessageInNewMovesItToCur() throws IOException {
        IndexEntry entry = deliver();

        folder.updateFlags(entry.uid(), entry.uid(), current -> flags(Flags.Flag.SEEN));

        assertThat(list(dir.resolve("new"))).isEmpty();
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.base() + ":2,S");
    }

    @Test
    void unchangedFlagsNeitherRenameNorRaiseTheModSeq() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        long before = folder.highestModSeq();

        List<MaildirFolder.FlagChange> changes = folder.updateFlags(entry.uid(), entry.uid(), current -> current);

        assertThat(changes.get(0).after()).isEqualTo(changes.get(0).before());
        assertThat(folder.highestModSeq()).isEqualTo(before);
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.fileName());
    }

    @Test
    void addingAKeywordAddsItToDovecotKeywordsAndItsLetterToTheName() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));

        folder.updateFlags(entry.uid(), entry.uid(), current -> {
            current.add("Foo");
            return current;
        });

        assertThat(Files.readString(dir.resolve("dovecot-keywords"), UTF_8)).isEqualTo("0 Foo\n");
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.base() + ":2,Sa");
        assertThat(folder.keywordNames()).containsExactly("Foo");
    }

    @Test
    void oneFlagUpdateOfSeveralMessagesSharesOneModSeq() throws IOException {
        deliver();
        deliver();

        List<MaildirFolder.FlagChange> changes = folder.updateFlags(1, 2, current -> flags(Flags.Flag.SEEN));

        assertThat(changes).extracting(change -> change.after().modSeq()).containsOnly(folder.highestModSeq());
    }

    @Test
    void takeRecentMovesNewToCurWithAnEmptyInfo() throws IOException {
        IndexEntry entry = deliver();
        assertThat(folder.flagsOf(entry).contains(Flags.Flag.RECENT)).isTrue();

        List<MaildirFolder.FlagChange> moved = folder.takeRecent();

        assertThat(moved).hasSize(1);
        assertThat(list(dir.resolve("new"))).isEmpty();
        assertThat(list(dir.resolve("cur"))).containsExactly(entry.base() + ":2,");
        IndexEntry now = folder.entry(entry.uid()).orElseThrow();
        assertThat(now.inNew()).isFalse();
        assertThat(folder.flagsOf(now).contains(Flags.Flag.RECENT)).isFalse();
    }

    @Test
    void messageStoredWithFlagsIsRecentInCurUntilTaken() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        assertThat(folder.flagsOf(entry).contains(Flags.Flag.RECENT)).isTrue();

        assertThat(folder.takeRecent()).hasSize(1);

        assertThat(list(dir.resolve("cur"))).containsExactly(entry.fileName());
        assertThat(folder.flagsOf(folder.entry(entry.uid()).orElseThrow()).contains(Flags.Flag.RECENT)).isFalse();
    }

    // ---- expunge, copy, move ---------------------------------------------------------------------

    @Test
    void expungeDeletesTheFile() throws IOException {
        IndexEntry entry = deliver();
        long before = folder.highestModSeq();

        Map<Long, IndexEntry> deleted = folder.expunge(List.of(entry.uid()));

        assertThat(deleted).containsOnlyKeys(entry.uid());
        assertThat(list(dir.resolve("new"))).isEmpty();
        assertThat(folder.entry(entry.uid())).isEmpty();
        assertThat(folder.count()).isZero();
        assertThat(folder.highestModSeq()).isGreaterThan(before);
    }

    @Test
    void expungedUidIsNotReused() throws IOException {
        IndexEntry entry = deliver();
        folder.expunge(List.of(entry.uid()));

        assertThat(deliver().uid()).isGreaterThan(entry.uid());
    }

    @Test
    void expungeOfAMessageRenamedMeanwhileDeletesItUnderItsNewName() throws IOException {
        IndexEntry entry = deliver();
        Files.move(dir.resolve(entry.relativePath()), dir.resolve("cur").resolve(entry.base() + ":2,S"));

        folder.expunge(List.of(entry.uid()));

        assertThat(list(dir.resolve("cur"))).isEmpty();
        assertThat(list(dir.resolve("new"))).isEmpty();
    }

    @Test
    void copyInStoresAnIndependentMessageWithANewUidInTheTarget() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        target.deliver(content("x\n"), new Flags(), INTERNAL_DATE, Optional.empty());
        IndexEntry original = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));

        IndexEntry copy = target.copyIn(folder, original.uid(), flags(Flags.Flag.SEEN, Flags.Flag.FLAGGED));

        assertThat(copy.uid()).isEqualTo(2);
        assertThat(copy.fileName()).endsWith(":2,FS");
        assertThat(read(target, copy.uid())).isEqualTo(read(folder, original.uid()));
        assertThat(folder.entry(original.uid())).contains(original);
        assertThat(Files.exists(dir.resolve(original.relativePath()))).isTrue();
        assertThat(list(target.directory().resolve("tmp"))).isEmpty();
    }

    @Test
    void copyWithoutFlagsGoesToCurWithAnEmptyInfoLikeDovecots() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        IndexEntry original = deliver();

        IndexEntry copy = target.copyIn(folder, original.uid(), new Flags());

        assertThat(copy.inNew()).isFalse();
        assertThat(copy.fileName()).endsWith(":2,");
        assertThat(list(target.directory().resolve("cur"))).containsExactly(copy.fileName());
        assertThat(list(target.directory().resolve("new"))).isEmpty();
    }

    @Test
    void moveWithoutFlagsGoesToCurWithAnEmptyInfoLikeDovecots() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        IndexEntry original = deliver();

        IndexEntry moved = target.moveIn(folder, original.uid(), new Flags());

        assertThat(moved.fileName()).endsWith(":2,");
        assertThat(list(target.directory().resolve("cur"))).containsExactly(moved.fileName());
    }

    @Test
    void copyKeepsTheInternalDate() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        IndexEntry original = deliver();

        IndexEntry copy = target.copyIn(folder, original.uid(), new Flags());

        assertThat(copy.internalDate()).isEqualTo(INTERNAL_DATE.getTime());
    }

    @Test
    void moveInLeavesNoFileInTheSourceAndGivesANewUidInTheTarget() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        target.deliver(content("x\n"), new Flags(), INTERNAL_DATE, Optional.empty());
        IndexEntry original = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));

        IndexEntry moved = target.moveIn(folder, original.uid(), flags(Flags.Flag.SEEN));

        assertThat(moved.uid()).isEqualTo(2);
        assertThat(list(dir.resolve("cur"))).isEmpty();
        assertThat(list(dir.resolve("new"))).isEmpty();
        assertThat(folder.entry(original.uid())).isEmpty();
        assertThat(folder.count()).isZero();
        assertThat(read(target, moved.uid())).isEqualTo(crlf(LF_MESSAGE));
        assertThat(list(target.directory().resolve("tmp"))).isEmpty();
    }

    @Test
    void messageMovedAwayAndBackNeverGetsItsOldUidBack() throws IOException {
        MaildirFolder other = newFolder(temp.resolve("Maildir/.Other"));
        IndexEntry original = deliver();

        IndexEntry there = other.moveIn(folder, original.uid(), new Flags());
        IndexEntry back = folder.moveIn(other, there.uid(), new Flags());

        assertThat(back.uid()).isGreaterThan(original.uid());
        assertThat(folder.entry(original.uid())).isEmpty();
        assertThat(restarted().entry(original.uid())).isEmpty();
    }

    @Test
    void movingAMessageAwayRaisesTheSourcesHighestModSeq() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        IndexEntry original = deliver();
        long before = folder.highestModSeq();

        target.moveIn(folder, original.uid(), new Flags());

        assertThat(folder.highestModSeq()).isGreaterThan(before);
    }

    @Test
    void failedMoveKeepsTheMessageInTheSource() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        target.count();
        IndexEntry original = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        // Another program deletes the target folder.
        try (Stream<Path> tree = Files.walk(target.directory())) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        assertThatThrownBy(() -> target.moveIn(folder, original.uid(), flags(Flags.Flag.SEEN))).isInstanceOf(IOException.class);

        assertThat(dir.resolve(original.relativePath())).exists();
        assertThat(read(folder, original.uid())).isEqualTo(crlf(LF_MESSAGE));
    }

    @Test
    void copyOfAnOutsideLfFileIsServedWithCrlfAndTheRightVirtualSize() throws IOException {
        MaildirFolder target = newFolder(temp.resolve("Maildir/.Target"));
        folder.count();
        int size = LF_MESSAGE.getBytes(UTF_8).length;
        Files.writeString(dir.resolve("new").resolve("1795300000.M1P100.extern,S=" + size), LF_MESSAGE, UTF_8);
        IndexEntry outside = folder.sync().added().get(0);

        IndexEntry copy = target.copyIn(folder, outside.uid(), new Flags());

        long expectedVirtualSize = crlf(LF_MESSAGE).getBytes(UTF_8).length;
        assertThat(read(target, copy.uid())).isEqualTo(crlf(LF_MESSAGE));
        assertThat(target.virtualSize(copy.uid())).isEqualTo(expectedVirtualSize);
        assertThat(MaildirFileName.parse(copy.fileName()).virtualSize()).hasValue(expectedVirtualSize);
    }

    // ---- changes by other programs ----------------------------------------------------------------

    @Test
    void fileDroppedIntoNewGetsTheNextUidOnSync() throws IOException {
        IndexEntry ours = deliver();
        Files.writeString(dir.resolve("new").resolve("1795300000.M1P100.extern,S=53"), "x".repeat(53), UTF_8);

        MaildirFolder.Changes changes = folder.sync();

        assertThat(changes.added()).hasSize(1);
        IndexEntry added = changes.added().get(0);
        assertThat(added.uid()).isEqualTo(ours.uid() + 1);
        assertThat(added.fileName()).isEqualTo("1795300000.M1P100.extern,S=53");
        assertThat(added.inNew()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("dovecot-uidlist"), UTF_8))
            .endsWith("2 :1795300000.M1P100.extern,S=53");
    }

    @Test
    void aFolderListedWithinTheLastSecondIsNotListedAgainForFigures() throws IOException {
        deliver();
        folder.sync();
        Files.writeString(dir.resolve("new").resolve("1795300000.M1P100.extern,S=53"), "x".repeat(53), UTF_8);

        folder.syncForFigures();

        assertThat(folder.count()).isEqualTo(1);
    }

    @Test
    void figuresCountWhatOtherProgramsAddedOnceASecondHasPassed() throws Exception {
        deliver();
        folder.sync();
        Files.writeString(dir.resolve("new").resolve("1795300000.M1P100.extern,S=53"), "x".repeat(53), UTF_8);

        Thread.sleep(1_100);
        folder.syncForFigures();

        assertThat(folder.count()).isEqualTo(2);
    }

    @Test
    void fileDroppedIntoNewIsReportedByDrainOutsideChanges() throws IOException {
        deliver();
        dropIntoNewInALaterTick("plainname");

        List<MaildirFolder.Changes> drained = folder.drainOutsideChanges();

        assertThat(drained).flatExtracting(MaildirFolder.Changes::added).extracting(IndexEntry::fileName)
            .containsExactly("plainname");
        assertThat(folder.drainOutsideChanges()).isEmpty();
    }

    @Test
    void outsideChangeFoundBySyncIsStillHandedToDrain() throws IOException {
        folder.count();
        Files.writeString(dir.resolve("new").resolve("plainname"), LF_MESSAGE, UTF_8);
        folder.sync();

        assertThat(folder.drainOutsideChanges()).flatExtracting(MaildirFolder.Changes::added).hasSize(1);
    }

    @Test
    void fileDroppedIntoCurTakesItsFlagsFromTheName() throws IOException {
        folder.count();
        Files.writeString(dir.resolve("cur").resolve("1795300001.M2P100.extern:2,FS"), LF_MESSAGE, UTF_8);

        IndexEntry added = folder.sync().added().get(0);

        Flags flags = folder.flagsOf(added);
        assertThat(flags.contains(Flags.Flag.FLAGGED)).isTrue();
        assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
        // New to this folder's sessions, as in Dovecot: recent until a session takes it.
        assertThat(flags.contains(Flags.Flag.RECENT)).isTrue();
        assertThat(Files.readAllLines(dir.resolve("dovecot-uidlist"), UTF_8)).endsWith("1 :1795300001.M2P100.extern");
    }

    @Test
    void outsideFileGetsItsMtimeAsInternalDate() throws IOException {
        folder.count();
        Path file = dir.resolve("new").resolve("plainname");
        Files.writeString(file, LF_MESSAGE, UTF_8);
        Instant date = Instant.parse("2021-05-06T07:08:09Z");
        Files.setLastModifiedTime(file, FileTime.from(date));

        IndexEntry added = folder.sync().added().get(0);

        assertThat(added.internalDate()).isEqualTo(date.toEpochMilli());
    }

    @Test
    void fileDeletedOutsideIsReportedExpunged() throws IOException {
        IndexEntry entry = deliver();
        long before = folder.highestModSeq();
        Files.delete(dir.resolve(entry.relativePath()));

        MaildirFolder.Changes changes = folder.sync();

        assertThat(changes.expunged()).extracting(IndexEntry::uid).containsExactly(entry.uid());
        assertThat(folder.entry(entry.uid())).isEmpty();
        assertThat(folder.highestModSeq()).isGreaterThan(before);
    }

    @Test
    void fileRenamedOutsideWithOtherFlagsIsAFlagChangeWithAHigherModSeq() throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        long before = folder.highestModSeq();
        Files.move(dir.resolve(entry.relativePath()), dir.resolve("cur").resolve(entry.base() + ":2,RS"));

        MaildirFolder.Changes changes = folder.sync();

        assertThat(changes.flagChanges()).hasSize(1);
        MaildirFolder.FlagChange change = changes.flagChanges().get(0);
        assertThat(change.before().uid()).isEqualTo(entry.uid());
        assertThat(change.after().uid()).isEqualTo(entry.uid());
        assertThat(change.after().letters()).isEqualTo("RS");
        assertThat(change.after().modSeq()).isGreaterThan(before);
        assertThat(folder.flagsOf(change.after()).contains(Flags.Flag.ANSWERED)).isTrue();
        assertThat(changes.added()).isEmpty();
        assertThat(changes.expunged()).isEmpty();
    }

    @Test
    void outsideMoveFromNewToCurKeepsTheUidAndIsNoFlagChange() throws IOException {
        IndexEntry entry = deliver();
        Files.move(dir.resolve(entry.relativePath()), dir.resolve("cur").resolve(entry.base() + ":2,"));

        MaildirFolder.Changes changes = folder.sync();

        assertThat(changes.isEmpty()).isTrue();
        IndexEntry now = folder.entry(entry.uid()).orElseThrow();
        assertThat(now.inNew()).isFalse();
        assertThat(now.fileName()).isEqualTo(entry.base() + ":2,");
    }

    @Test
    void fileNumberedByDovecotKeepsDovecotsUid() throws IOException {
        deliver();
        Files.writeString(dir.resolve("cur").resolve("1700000001.M1P1.h,S=11:2,S"), "hello world", UTF_8);
        appendToUidListAsDovecot("7 :1700000001.M1P1.h,S=11\n");

        IndexEntry added = folder.sync().added().get(0);

        assertThat(added.uid()).isEqualTo(7);
        assertThat(folder.nextUid()).isEqualTo(8);
        assertThat(deliver().uid()).isEqualTo(8);
    }

    @Test
    void uidListRecordWithInfoStillMatchesTheFileByBase() throws IOException {
        folder.count();
        Files.writeString(dir.resolve("cur").resolve("1700000001.M1P1.h,S=11:2,F"), "hello world", UTF_8);
        appendToUidListAsDovecot("3 :1700000001.M1P1.h,S=11:2,S\n");

        IndexEntry added = folder.sync().added().get(0);

        assertThat(added.uid()).isEqualTo(3);
        assertThat(added.letters()).isEqualTo("F");
    }

    @Test
    void uidListRewrittenWithANewUidValidityIsFollowed() throws IOException {
        deliver();
        deliver();
        IndexEntry kept = deliver();
        folder.expunge(List.of(1L, 2L));
        // Dovecot regenerates the list (e.g. after it found it broken): new UIDVALIDITY, renumbered from 1.
        Path tmp = dir.resolve("dovecot-uidlist.tmp");
        Files.writeString(tmp, "3 V1795249999 N2 G00112233445566778899aabbccddeeff\n1 :" + kept.base() + "\n", UTF_8);
        Files.move(tmp, dir.resolve("dovecot-uidlist"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        folder.sync();

        assertThat(folder.uidValidity()).isEqualTo(1795249999L);
        assertThat(folder.entries(1, Long.MAX_VALUE)).extracting(IndexEntry::uid, IndexEntry::base)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, kept.base()));
    }

    @Test
    void deliveryWorksAfterTheUidListWasDeleted() throws IOException {
        IndexEntry before = deliver();
        Files.delete(dir.resolve("dovecot-uidlist"));

        folder.sync();
        IndexEntry after = deliver();

        assertThat(folder.uidValidity()).isPositive();
        assertThat(Files.readAllLines(dir.resolve("dovecot-uidlist"), UTF_8)).anyMatch(line -> line.endsWith(":" + after.base()));
        assertThat(before.uid()).isPositive();
    }

    @Test
    void maildirWithoutUidListIsNumberedInFileNameOrder() throws IOException {
        Path foreign = temp.resolve("foreign");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(foreign.resolve(sub));
        }
        Files.writeString(foreign.resolve("new/1800000000.M1P1.h"), "e\n", UTF_8);
        Files.writeString(foreign.resolve("cur/1700000005.M1P1.h:2,S"), "c\n", UTF_8);
        Files.writeString(foreign.resolve("new/1600000000.M1P1.h"), "a\n", UTF_8);
        Files.writeString(foreign.resolve("cur/1700000009.M1P1.h:2,"), "d\n", UTF_8);
        Files.writeString(foreign.resolve("cur/1700000001.M1P1.h,S=2"), "b\n", UTF_8);

        MaildirFolder opened = new MaildirFolder(foreign, HOST, Durability.UNWATCHED);

        List<String> byUid = new ArrayList<>();
        for (IndexEntry entry : opened.entries(1, Long.MAX_VALUE)) {
            byUid.add(entry.uid() + " " + entry.base());
        }
        assertThat(byUid).containsExactly("1 1600000000.M1P1.h", "2 1700000001.M1P1.h,S=2", "3 1700000005.M1P1.h",
            "4 1700000009.M1P1.h", "5 1800000000.M1P1.h");
    }

    // ---- our own saves and the once-a-second look for other programs' changes -------------------

    private final ManualClock clock = new ManualClock(Instant.now());

    /** A folder timed by {@link #clock}, listed once and with new/'s mtime too recent to be trusted. */
    private MaildirFolder folderOnManualClock() throws IOException {
        MaildirFolder timed = new MaildirFolder(dir, HOST, Durability.UNWATCHED, clock);
        timed.drainOutsideChanges();
        return timed;
    }

    private MaildirFolder folderOnManualClockWithOurDelivery() throws IOException {
        MaildirFolder timed = folderOnManualClock();
        timed.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.empty());
        return timed;
    }

    /** Another program's file in new/, renamed there in the same mtime tick as new/'s last change. */
    private void dropIntoNewInTheSameTick(String fileName) throws IOException {
        Path newDir = dir.resolve("new");
        FileTime tick = Files.getLastModifiedTime(newDir);
        Files.writeString(newDir.resolve(fileName), LF_MESSAGE, UTF_8);
        Files.setLastModifiedTime(newDir, tick);
    }

    /**
     * Another program's file in new/, renamed there in a later mtime tick than new/'s last change
     * (a test runs fast enough to share a tick with the delivery before it).
     */
    private void dropIntoNewInALaterTick(String fileName) throws IOException {
        Path newDir = dir.resolve("new");
        long before = Files.getLastModifiedTime(newDir).toMillis();
        Files.writeString(newDir.resolve(fileName), LF_MESSAGE, UTF_8);
        Files.setLastModifiedTime(newDir, FileTime.fromMillis(before + 1));
    }

    @Test
    void ourOwnDeliveryIsNotListedAgainByDrainOutsideChanges() throws IOException {
        MaildirFolder timed = folderOnManualClock();
        long listedBefore = timed.listings();

        timed.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.empty());

        assertThat(timed.drainOutsideChanges()).isEmpty();
        assertThat(timed.listings()).isEqualTo(listedBefore);
    }

    @Test
    void outsideFileAddedAfterOurDeliveryIsDrainedAtNewsNextMtime() throws IOException {
        MaildirFolder timed = folderOnManualClockWithOurDelivery();
        dropIntoNewInALaterTick("plainname");

        assertThat(timed.drainOutsideChanges()).flatExtracting(MaildirFolder.Changes::added).extracting(IndexEntry::fileName)
            .containsExactly("plainname");
    }

    @Test
    void outsideFileAddedInTheTickOfOurDeliveryIsDrainedWithinTheRecheckBound() throws IOException {
        MaildirFolder timed = folderOnManualClockWithOurDelivery();
        dropIntoNewInTheSameTick("plainname");
        assertThat(timed.drainOutsideChanges()).isEmpty();

        clock.advance(Duration.ofMillis(FolderSync.OWN_CHANGES_RECHECK_MS));

        assertThat(timed.drainOutsideChanges()).flatExtracting(MaildirFolder.Changes::added).extracting(IndexEntry::fileName)
            .containsExactly("plainname");
    }

    @Test
    void outsideFileAddedInTheTickOfOurDeliveryIsSeenByTheNextImapSync() throws IOException {
        MaildirFolder timed = folderOnManualClockWithOurDelivery();
        dropIntoNewInTheSameTick("plainname");

        assertThat(timed.sync().added()).extracting(IndexEntry::fileName).containsExactly("plainname");
    }

    // ---- mtimes listed within their tick ------------------------------------------------------------

    /** Sets new/'s and cur/'s mtimes to {@code mtime} (as a change at that time would), then lists them on {@link #clock}. */
    private MaildirFolder listedWithMtimes(Instant mtime) throws IOException {
        MaildirFolder timed = new MaildirFolder(dir, HOST, Durability.UNWATCHED, clock);
        timed.count();
        Files.setLastModifiedTime(dir.resolve("new"), FileTime.from(mtime));
        Files.setLastModifiedTime(dir.resolve("cur"), FileTime.from(mtime));
        timed.sync();
        return timed;
    }

    @Test
    void aFolderListedWithinItsMtimesTickIsNotListedAgainWhileTheTickRuns() throws IOException {
        MaildirFolder timed = listedWithMtimes(clock.instant().plusNanos(1_234_567));
        long listed = timed.listings();

        timed.sync();
        timed.sync();

        assertThat(timed.listings()).isEqualTo(listed);
    }

    @Test
    void aFileHiddenInTheTickOfTheLastListingIsSeenByTheFirstSyncAfterTheTick() throws IOException {
        MaildirFolder timed = listedWithMtimes(clock.instant().plusNanos(1_234_567));
        dropIntoNewInTheSameTick("plainname");

        clock.advance(Duration.ofMillis(FolderSync.FINE_TICK_MS + 10));

        assertThat(timed.sync().added()).extracting(IndexEntry::fileName).containsExactly("plainname");
    }

    @Test
    void aListingMadeAfterTheTickIsTrustedUntilTheMtimesChange() throws IOException {
        MaildirFolder timed = listedWithMtimes(clock.instant().plusNanos(1_234_567));
        clock.advance(Duration.ofMillis(FolderSync.FINE_TICK_MS + 10));
        timed.sync();
        long listed = timed.listings();

        clock.advance(Duration.ofHours(1));
        timed.sync();

        assertThat(timed.listings()).isEqualTo(listed);
    }

    @Test
    void anMtimeInWholeSecondsIsListedAgainOnlyASecondAfterIt() throws IOException {
        Instant wholeSecond = clock.instant().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        MaildirFolder timed = listedWithMtimes(wholeSecond);
        dropIntoNewInTheSameTick("plainname");
        clock.advance(Duration.between(clock.instant(), wholeSecond).plusMillis(FolderSync.FINE_TICK_MS + 10));
        assertThat(timed.sync().isEmpty()).isTrue();

        clock.advance(Duration.ofMillis(FolderSync.COARSE_TICK_MS));

        assertThat(timed.sync().added()).extracting(IndexEntry::fileName).containsExactly("plainname");
    }

    @Test
    void unchangedFolderSyncsToNoChanges() throws IOException {
        deliver();
        folder.sync();

        assertThat(folder.sync().isEmpty()).isTrue();
    }

    // ---- crashes and lost indexes -------------------------------------------------------------------

    @Test
    void highestModSeqAfterACrashIsAtLeastTheLastOneSeen() throws IOException {
        deliver();
        deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        folder.updateFlags(1, 1, current -> flags(Flags.Flag.FLAGGED));
        folder.flush(false);
        deliver();
        folder.updateFlags(2, 2, current -> flags(Flags.Flag.ANSWERED));
        long seen = folder.highestModSeq();

        MaildirFolder afterCrash = restarted();

        assertThat(afterCrash.highestModSeq()).isGreaterThanOrEqualTo(seen);
    }

    @Test
    void modSeqAfterACrashIsAboveEveryOneHandedOutBefore() throws IOException {
        deliver();
        folder.flush(false);
        folder.updateFlags(1, 1, current -> flags(Flags.Flag.FLAGGED));
        folder.updateFlags(1, 1, current -> flags(Flags.Flag.SEEN));
        long seen = folder.highestModSeq();

        MaildirFolder afterCrash = restarted();
        List<MaildirFolder.FlagChange> change = afterCrash.updateFlags(1, 1, current -> flags(Flags.Flag.DRAFT));

        assertThat(change.get(0).after().modSeq()).isGreaterThan(seen);
    }

    @Test
    void changesAfterACleanFlushStillCountAfterACrash() throws IOException {
        deliver();
        folder.flush(true);
        folder.updateFlags(1, 1, current -> flags(Flags.Flag.SEEN));
        long seen = folder.highestModSeq();

        assertThat(restarted().highestModSeq()).isGreaterThanOrEqualTo(seen);
    }

    @Test
    void cleanCloseKeepsHighestModSeq() throws IOException {
        deliver();
        folder.updateFlags(1, 1, current -> flags(Flags.Flag.SEEN));
        long seen = folder.highestModSeq();
        folder.flush(true);

        assertThat(restarted().highestModSeq()).isEqualTo(seen);
    }

    @Test
    void uidIsNeverReusedAfterACrash() throws IOException {
        deliver();
        folder.flush(false);
        long unflushed = deliver().uid();
        folder.expunge(List.of(unflushed));

        MaildirFolder afterCrash = restarted();

        assertThat(afterCrash.deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.empty()).uid())
            .isGreaterThan(unflushed);
    }

    @Test
    void messagesDeliveredAfterTheLastFlushAreFoundAfterACrash() throws IOException {
        deliver();
        folder.flush(false);
        IndexEntry unflushed = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));

        MaildirFolder afterCrash = restarted();

        IndexEntry found = afterCrash.entry(unflushed.uid()).orElseThrow();
        assertThat(found.fileName()).isEqualTo(unflushed.fileName());
    }

    @Test
    void uidIsNeverReusedAfterTheIndexIsLost() throws IOException {
        deliver();
        long last = deliver().uid();
        folder.expunge(List.of(last));
        folder.flush(true);
        Files.delete(dir.resolve("maildeck.index"));

        assertThat(restarted().deliver(content(LF_MESSAGE), new Flags(), INTERNAL_DATE, Optional.empty()).uid())
            .isGreaterThan(last);
    }

    @Test
    void deletedIndexIsRebuiltWithTheSameUids() throws IOException {
        IndexEntry first = deliver();
        IndexEntry second = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN, Flags.Flag.FLAGGED));
        IndexEntry third = deliver();
        folder.flush(true);
        Files.delete(dir.resolve("maildeck.index"));

        MaildirFolder rebuilt = restarted();

        assertThat(rebuilt.entries(1, Long.MAX_VALUE))
            .extracting(IndexEntry::uid, IndexEntry::fileName)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(first.uid(), first.fileName()),
                org.assertj.core.groups.Tuple.tuple(second.uid(), second.fileName()),
                org.assertj.core.groups.Tuple.tuple(third.uid(), third.fileName()));
        assertThat(rebuilt.uidValidity()).isEqualTo(UIDVALIDITY);
        assertThat(dir.resolve("maildeck.index")).exists();
    }

    @Test
    void damagedIndexIsRebuiltWithTheSameUids() throws IOException {
        IndexEntry first = deliver();
        IndexEntry second = deliver();
        folder.flush(true);
        Files.write(dir.resolve("maildeck.index"), "garbage".getBytes(US_ASCII));

        MaildirFolder rebuilt = restarted();

        assertThat(rebuilt.entries(1, Long.MAX_VALUE)).extracting(IndexEntry::uid).containsExactly(first.uid(), second.uid());
    }

    // ---- content ----------------------------------------------------------------------------------

    @Test
    void lfOnlyOutsideFileIsServedWithCrlf() throws IOException {
        folder.count();
        Files.writeString(dir.resolve("new").resolve("plainname"), LF_MESSAGE, UTF_8);
        IndexEntry added = folder.sync().added().get(0);

        assertThat(read(folder, added.uid())).isEqualTo(crlf(LF_MESSAGE));
    }

    @Test
    void virtualSizeOfAnOutsideFileMatchesTheServedBytes() throws IOException {
        folder.count();
        Files.writeString(dir.resolve("new").resolve("plainname"), LF_MESSAGE, UTF_8);
        IndexEntry added = folder.sync().added().get(0);

        long served;
        try (InputStream in = folder.openContent(added.uid())) {
            served = in.readAllBytes().length;
        }

        assertThat(added.virtualSize()).isEqualTo(-1);
        assertThat(folder.virtualSize(added.uid())).isEqualTo(served);
        assertThat(folder.entry(added.uid()).orElseThrow().virtualSize()).isEqualTo(served);
    }

    @Test
    void deliveredLfMessageIsServedWithCrlfMatchingItsVirtualSize() throws IOException {
        IndexEntry entry = deliver();

        String served = read(folder, entry.uid());

        assertThat(served).isEqualTo(crlf(LF_MESSAGE));
        assertThat((long) served.getBytes(UTF_8).length).isEqualTo(entry.virtualSize());
    }

    @Test
    void deliveredCrlfMessageIsServedUnchanged() throws IOException {
        IndexEntry entry = deliver(crlf(LF_MESSAGE), new Flags());

        assertThat(read(folder, entry.uid())).isEqualTo(crlf(LF_MESSAGE));
    }

    @Test
    void messageRenamedOutsideIsStillServed() throws IOException {
        IndexEntry entry = deliver();
        Files.move(dir.resolve(entry.relativePath()), dir.resolve("cur").resolve(entry.base() + ":2,S"));

        assertThat(read(folder, entry.uid())).isEqualTo(crlf(LF_MESSAGE));
    }

    @Test
    void symlinkDroppedIntoCurIsNotServed(@TempDir Path elsewhere) throws IOException {
        IndexEntry ours = deliver();
        Path secret = elsewhere.resolve("secret");
        Files.writeString(secret, "secret\n", UTF_8);
        Files.createSymbolicLink(dir.resolve("cur").resolve("1700000000.M1P1.evil,S=7:2,S"), secret);

        folder.sync();

        assertThat(folder.entries(1, Long.MAX_VALUE)).extracting(IndexEntry::uid).containsExactly(ours.uid());
        for (long uid = ours.uid() + 1; uid < folder.nextUid(); uid++) {
            long candidate = uid;
            assertThatThrownBy(() -> folder.openContent(candidate)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void messageReplacedBySymlinkIsNotServed(@TempDir Path elsewhere) throws IOException {
        IndexEntry entry = deliver(LF_MESSAGE, flags(Flags.Flag.SEEN));
        Path secret = elsewhere.resolve("secret");
        Files.writeString(secret, "secret\n", UTF_8);
        Path file = dir.resolve(entry.relativePath());
        Files.delete(file);
        Files.createSymbolicLink(file, secret);

        assertThatThrownBy(() -> read(folder, entry.uid())).isInstanceOf(IOException.class);
    }

    // ---- identity ----------------------------------------------------------------------------------

    @Test
    void identityComesFromTheUidListHeader() throws IOException {
        DovecotUidList.Identity identity = restarted().identity();

        assertThat(identity.uidValidity()).isEqualTo(UIDVALIDITY);
        assertThat(identity.guid()).matches("[0-9a-f]{32}");
        assertThat(folder.guid()).isEqualTo(identity.guid());
    }

    @Test
    void createOfAnExistingFolderKeepsItsUidValidity() throws IOException {
        deliver();

        restarted().create(42);

        assertThat(restarted().uidValidity()).isEqualTo(UIDVALIDITY);
        assertThat(restarted().count()).isEqualTo(1);
    }

    @Test
    void createMakesCurNewAndTmp() throws IOException {
        assertThat(dir.resolve("cur")).isDirectory();
        assertThat(dir.resolve("new")).isDirectory();
        assertThat(dir.resolve("tmp")).isDirectory();
        assertThat(Files.readString(dir.resolve("dovecot-uidlist"), UTF_8)).matches("3 V" + UIDVALIDITY + " N1 G[0-9a-f]{32}\n");
    }
}
