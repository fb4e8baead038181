package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;

class DovecotUidListTest {

    /** Dovecot 2.3's uidlist after four APPENDs, byte for byte (see dovecot-ondisk.md). */
    static final String DOVECOT_SAMPLE = """
        3 V1795243169 N5 G73bb321fa13c016b6001000083ecc375
        1 :1795243169.M513818P352.vm,S=86,W=92
        2 :1795243169.M532673P352.vm,S=46,W=51
        3 :1795243169.M541615P352.vm,S=86,W=92
        4 :1795243169.M547634P352.vm,S=46,W=51
        """;
    static final String BASE_1 = "1795243169.M513818P352.vm,S=86,W=92";
    static final String BASE_2 = "1795243169.M532673P352.vm,S=46,W=51";
    static final String BASE_3 = "1795243169.M541615P352.vm,S=86,W=92";
    static final String BASE_4 = "1795243169.M547634P352.vm,S=46,W=51";

    @TempDir
    Path folder;

    private Path file() {
        return folder.resolve("dovecot-uidlist");
    }

    private DovecotUidList read(String content) throws IOException {
        Files.writeString(file(), content, UTF_8);
        DovecotUidList list = new DovecotUidList(folder, Durability.UNWATCHED);
        list.refresh();
        return list;
    }

    /** What Dovecot does when it appends: open O_RDWR and write at the end, header untouched. */
    private void appendAsDovecot(String text) throws IOException {
        Files.writeString(file(), text, UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** What Dovecot does when it rewrites: dovecot-uidlist.tmp, renamed over the list. */
    private void rewriteAsDovecot(String content) throws IOException {
        Path tmp = folder.resolve("dovecot-uidlist.tmp");
        Files.writeString(tmp, content, UTF_8);
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void parsesDovecotsHeader() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        assertThat(list.uidValidity()).isEqualTo(1795243169L);
        assertThat(list.guid()).isEqualTo("73bb321fa13c016b6001000083ecc375");
        assertThat(list.nextUid()).isEqualTo(5);
    }

    @Test
    void parsesDovecotsRecords() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        assertThat(list.recordCount()).isEqualTo(4);
        assertThat(list.uidOf(BASE_1)).isEqualTo(OptionalLong.of(1));
        assertThat(list.uidOf(BASE_2)).isEqualTo(OptionalLong.of(2));
        assertThat(list.uidOf(BASE_3)).isEqualTo(OptionalLong.of(3));
        assertThat(list.uidOf(BASE_4)).isEqualTo(OptionalLong.of(4));
        assertThat(list.baseOf(3)).contains(BASE_3);
        assertThat(list.uidOf("unknown")).isEmpty();
    }

    @Test
    void rendersDovecotsSampleUnchanged() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        assertThat(list.renderForTest()).isEqualTo(DOVECOT_SAMPLE);
    }

    @Test
    void recordExtensionsAreReadAndKept() throws IOException {
        String record = "5 G00112233445566778899aabbccddeeff W42 :1700000000.M1P1.maildeck,S=38\n";
        DovecotUidList list = read("3 V778 N5 G73bb321fa13c016b6001000083ecc375\n" + record);

        assertThat(list.uidOf("1700000000.M1P1.maildeck,S=38")).isEqualTo(OptionalLong.of(5));
        list.compact(List.of("1700000000.M1P1.maildeck,S=38"));
        assertThat(Files.readString(file(), UTF_8)).endsWith("\n" + record);
    }

    @Test
    void headerWithoutGuidIsAccepted() throws IOException {
        DovecotUidList list = read("3 V778 N10\n");

        assertThat(list.uidValidity()).isEqualTo(778);
        assertThat(list.nextUid()).isEqualTo(10);
        assertThat(list.guid()).matches("[0-9a-f]{32}");
    }

    @Test
    void recordNamesAreMatchedOnTheBaseBeforeTheColon() throws IOException {
        DovecotUidList list = read("3 V778 N1\n3 :1700000001.M1P1.h,S=11:2,S\n");

        assertThat(list.uidOf("1700000001.M1P1.h,S=11")).isEqualTo(OptionalLong.of(3));
    }

    @Test
    void nextUidIsOneAboveTheLastRecordWhenTheHeaderIsStale() throws IOException {
        DovecotUidList list = read("3 V778 N3 G73bb321fa13c016b6001000083ecc375\n"
            + "1 :a\n2 :b\n3 :c\n4 :d\n5 :e\n6 :f\n7 :g\n");

        assertThat(list.nextUid()).isEqualTo(8);
    }

    @Test
    void nextUidHonoursAHeaderAboveTheLastRecord() throws IOException {
        DovecotUidList list = read("3 V778 N20 G73bb321fa13c016b6001000083ecc375\n1 :a\n2 :b\n3 :c\n");

        assertThat(list.nextUid()).isEqualTo(20);
    }

    @Test
    void assignAppendsRecordsAfterTheExistingOnes() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        Map<String, Long> assigned = list.assign(List.of("new.one", "new.two"));

        assertThat(assigned).containsExactly(Map.entry("new.one", 5L), Map.entry("new.two", 6L));
        assertThat(Files.readString(file(), UTF_8)).isEqualTo(DOVECOT_SAMPLE + "5 :new.one\n6 :new.two\n");
        assertThat(list.nextUid()).isEqualTo(7);
    }

    @Test
    void assignedRecordsAreOnDiskForAnotherReader() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        list.assign(List.of("new.one"));

        DovecotUidList other = new DovecotUidList(folder, Durability.UNWATCHED);
        other.refresh();
        assertThat(other.uidOf("new.one")).isEqualTo(OptionalLong.of(5));
        assertThat(folder.resolve("dovecot-uidlist.lock")).doesNotExist();
    }

    @Test
    void assignKeepsTheUidOfABaseThatHasOne() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        Map<String, Long> assigned = list.assign(List.of(BASE_2));

        assertThat(assigned).containsExactly(Map.entry(BASE_2, 2L));
        assertThat(Files.readString(file(), UTF_8)).isEqualTo(DOVECOT_SAMPLE);
    }

    @Test
    void assignUsesTheUidDovecotGaveMeanwhile() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        appendAsDovecot("5 :dovecot.base\n");

        Map<String, Long> assigned = list.assign(List.of("dovecot.base", "ours"));

        assertThat(assigned).containsExactly(Map.entry("dovecot.base", 5L), Map.entry("ours", 6L));
    }

    @Test
    void assignStartsAtTheHeadersNextUid() throws IOException {
        DovecotUidList list = read("3 V778 N20 G73bb321fa13c016b6001000083ecc375\n1 :a\n");

        assertThat(list.assign(List.of("b"))).containsExactly(Map.entry("b", 20L));
    }

    @Test
    void refreshSeesARecordDovecotAppended() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        appendAsDovecot("5 :1795300000.M1P100.extern,S=53\n");

        assertThat(list.refresh()).isTrue();

        assertThat(list.uidOf("1795300000.M1P100.extern,S=53")).isEqualTo(OptionalLong.of(5));
        assertThat(list.uidOf(BASE_1)).isEqualTo(OptionalLong.of(1));
        assertThat(list.nextUid()).isEqualTo(6);
    }

    @Test
    void refreshOfAFileThatGrewReadsOnlyTheAppendedTail() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        // Change the already-read header in place (same inode, same length): a reader of only
        // the tail does not see it; a reader of the whole file would.
        try (RandomAccessFile raw = new RandomAccessFile(file().toFile(), "rw")) {
            raw.seek("3 V".length());
            raw.write("9".getBytes(UTF_8));
        }
        appendAsDovecot("5 :tail\n");

        list.refresh();

        assertThat(list.uidValidity()).isEqualTo(1795243169L);
        assertThat(list.uidOf("tail")).isEqualTo(OptionalLong.of(5));
    }

    @Test
    void refreshWithoutChangeReadsNothing() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        assertThat(list.refresh()).isFalse();
    }

    @Test
    void rewrittenFileIsReadFromTheStart() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        rewriteAsDovecot("3 V1795243169 N7 G73bb321fa13c016b6001000083ecc375\n"
            + "1 :" + BASE_1 + "\n"
            + "6 :rewritten\n");

        assertThat(list.refresh()).isTrue();

        assertThat(list.uidOf(BASE_2)).isEmpty();
        assertThat(list.uidOf(BASE_4)).isEmpty();
        assertThat(list.uidOf("rewritten")).isEqualTo(OptionalLong.of(6));
        assertThat(list.recordCount()).isEqualTo(2);
        assertThat(list.nextUid()).isEqualTo(7);
    }

    @Test
    void rewrittenFileOfTheSameSizeIsReadFromTheStart() throws IOException {
        DovecotUidList list = read("3 V778 N2 G73bb321fa13c016b6001000083ecc375\n1 :aaaa\n");
        rewriteAsDovecot("3 V778 N2 G73bb321fa13c016b6001000083ecc375\n1 :bbbb\n");

        list.refresh();

        assertThat(list.uidOf("aaaa")).isEmpty();
        assertThat(list.uidOf("bbbb")).isEqualTo(OptionalLong.of(1));
    }

    @Test
    void partialLastLineIsNotReadUntilItsNewlineArrives() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        appendAsDovecot("5 :half");

        list.refresh();
        assertThat(list.uidOf("half")).isEmpty();
        assertThat(list.recordCount()).isEqualTo(4);

        appendAsDovecot("way\n");
        list.refresh();
        assertThat(list.uidOf("halfway")).isEqualTo(OptionalLong.of(5));
        assertThat(list.uidOf("half")).isEmpty();
    }

    @Test
    void recordAssignedAfterATornLastLineIsOnItsOwnLine() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE + "5 :torn");

        Map<String, Long> assigned = list.assign(List.of("ours"));

        DovecotUidList reread = new DovecotUidList(folder, Durability.UNWATCHED);
        reread.refresh();
        assertThat(reread.uidOf("ours")).isEqualTo(OptionalLong.of(assigned.get("ours")));
    }

    @Test
    void recordAssignedAfterATornLineWasCompletedLeavesNoEmptyLine() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE + "5 :torn");
        list.refresh();
        appendAsDovecot("line\n");

        list.assign(List.of("ours"));

        assertThat(Files.readString(folder.resolve("dovecot-uidlist"), UTF_8)).endsWith("5 :tornline\n6 :ours\n");
    }

    @Test
    void compactDropsRecordsOfGoneFilesAndKeepsTheNextUid() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);

        list.compact(List.of(BASE_1, BASE_2));

        assertThat(Files.readString(file(), UTF_8)).isEqualTo("""
            3 V1795243169 N5 G73bb321fa13c016b6001000083ecc375
            1 :1795243169.M513818P352.vm,S=86,W=92
            2 :1795243169.M532673P352.vm,S=46,W=51
            """);
        assertThat(list.recordCount()).isEqualTo(2);
        assertThat(list.nextUid()).isEqualTo(5);
    }

    @Test
    void expungedUidsAreNotReusedAfterCompact() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        list.compact(List.of(BASE_1));

        DovecotUidList reread = new DovecotUidList(folder, Durability.UNWATCHED);
        reread.refresh();

        assertThat(reread.assign(List.of("after.compact"))).containsExactly(Map.entry("after.compact", 5L));
    }

    @Test
    void compactKeepsAStaleHeaderFromGoingBelowTheRecords() throws IOException {
        DovecotUidList list = read("3 V778 N3 G73bb321fa13c016b6001000083ecc375\n1 :a\n2 :b\n3 :c\n4 :d\n5 :e\n");

        list.compact(List.of("a"));

        assertThat(Files.readString(file(), UTF_8)).startsWith("3 V778 N6 G73bb321fa13c016b6001000083ecc375\n");
    }

    @Test
    void createWritesAHeaderOnlyList() throws IOException {
        DovecotUidList list = new DovecotUidList(folder, Durability.UNWATCHED);

        assertThat(list.create(1795243170L)).isTrue();

        assertThat(Files.readString(file(), UTF_8)).matches("3 V1795243170 N1 G[0-9a-f]{32}\n");
        assertThat(list.uidValidity()).isEqualTo(1795243170L);
        assertThat(list.nextUid()).isEqualTo(1);
        assertThat(folder.resolve("dovecot-uidlist.lock")).doesNotExist();
    }

    @Test
    void createDoesNotReplaceAnExistingList() throws IOException {
        Files.writeString(file(), DOVECOT_SAMPLE, UTF_8);
        DovecotUidList list = new DovecotUidList(folder, Durability.UNWATCHED);

        assertThat(list.create(42)).isFalse();

        assertThat(Files.readString(file(), UTF_8)).isEqualTo(DOVECOT_SAMPLE);
        assertThat(list.uidValidity()).isEqualTo(1795243169L);
        assertThat(list.uidOf(BASE_4)).isEqualTo(OptionalLong.of(4));
    }

    @Test
    void peekIdentityReadsOnlyTheHeader() throws IOException {
        Files.writeString(file(), DOVECOT_SAMPLE, UTF_8);

        Optional<DovecotUidList.Identity> identity = DovecotUidList.peekIdentity(folder);

        assertThat(identity).contains(new DovecotUidList.Identity(1795243169L, "73bb321fa13c016b6001000083ecc375"));
    }

    @Test
    void peekIdentityOfAMissingListIsEmpty() throws IOException {
        assertThat(DovecotUidList.peekIdentity(folder)).isEmpty();
    }

    @Test
    void readsVersionOneLists() throws IOException {
        DovecotUidList list = read("1 1234 3\n1 1700000000.M1P1.h:2,S\n2 1700000001.M1P1.h\n");

        assertThat(list.uidValidity()).isEqualTo(1234);
        assertThat(list.uidOf("1700000000.M1P1.h")).isEqualTo(OptionalLong.of(1));
        assertThat(list.uidOf("1700000001.M1P1.h")).isEqualTo(OptionalLong.of(2));
        assertThat(list.nextUid()).isEqualTo(3);
    }

    @Test
    void deletedListIsForgotten() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        Files.delete(file());

        assertThat(list.refresh()).isTrue();

        assertThat(list.exists()).isFalse();
        assertThat(list.recordCount()).isZero();
    }

    @Test
    void rewriteIsDetectedByInodeNotSize() throws IOException {
        DovecotUidList list = read(DOVECOT_SAMPLE);
        Object before = Files.readAttributes(file(), BasicFileAttributes.class).fileKey();
        rewriteAsDovecot(DOVECOT_SAMPLE.replace(BASE_3, BASE_3.replace("M541615", "M541616")) + "5 :x\n");
        assertThat(Files.readAttributes(file(), BasicFileAttributes.class).fileKey()).isNotEqualTo(before);

        list.refresh();

        assertThat(list.uidOf(BASE_3)).isEmpty();
        assertThat(list.uidOf(BASE_3.replace("M541615", "M541616"))).isEqualTo(OptionalLong.of(3));
    }
}
