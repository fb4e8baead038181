package org.maildeck.maildir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.Flags;
import org.maildeck.durability.Durability;

/**
 * Saving into one folder: deliveries and APPENDs (a new file), COPY (a hard link) and MOVE (a
 * rename from the source folder), like Dovecot's maildir-save and maildir-copy.
 *
 * <h2>Group commit</h2>
 * A save has a part each thread does alone and a part that must be done in order. Alone, in
 * parallel with the others: write the message to {@code tmp/} and fsync it (or link the source
 * file there). In order, under the folder's lock and the uidlist's dotlock: rename into
 * {@code new/} or {@code cur/}, fsync the directory, append the uidlist record and fsync it.
 * Done one message at a time, the ordered part costs two fsyncs and a dotlock per message, and
 * the threads wait for each other's fsyncs. So the ordered part is shared: the threads queue their
 * durable {@code tmp/} files in a {@link GroupCommit}; one of them, the leader, takes all of
 * them at once, then under one dotlock renames them all, fsyncs each directory once, appends all
 * the uidlist records in one write and fsyncs it once. It tells the folder's {@link FolderSync}
 * before and after the renames, so that the mtimes they leave need no listing to be known. Each thread returns only when the batch
 * that holds its message has been committed, so a returned save (the {@code 250} after DATA, the
 * OK of an APPEND) means the message is durable, numbered, and visible to Dovecot. The dotlock,
 * which only keeps Dovecot out, is taken once per batch; threads of this process queue on the
 * group commit and on the folder's monitor, never by polling the file system.
 *
 * <h2>Exactly once without an fsync of the ledger</h2>
 * A delivery that carries a key (the spool's mail, recipient and folder) is recorded in the
 * folder's {@link DeliveryLedger} in the same step: the ledger lines of the whole batch are
 * written (one {@code write}, no fsync) <em>before</em> the first rename. A kill -9 loses no
 * written data: what a process wrote is in the kernel and survives it, whatever was synced. So
 * after a kill at any moment, every file visible in {@code new/} or {@code cur/} has its ledger
 * line, and when the spool hands the mail out again (it was never acknowledged), the folder finds
 * the key, finds the file by its base name (numbering it if the kill came before the uidlist
 * append) and returns it instead of storing a second copy. A key whose file never got renamed
 * points to no file: the mail is delivered again, once, from scratch. A write cut short by the
 * kill leaves a last line without its newline, which the ledger ignores and never extends. The
 * order the other way round would not do: a file renamed before its key is written would, after a
 * kill between the two, be delivered a second time.
 * Not covered: a power loss, which can drop the ledger's unsynced tail while the renames and the
 * uidlist (synced) survive; the mail is then delivered twice, never lost. Syncing the ledger
 * before the renames would close that at the price of one more fsync per batch.
 *
 * <h2>Failures</h2>
 * One message failing (its file gone, a 27th keyword) fails only that message; a batch that
 * cannot get the dotlock fails as a whole, having renamed nothing, and every caller removes its
 * own {@code tmp/} file. A file already renamed when a later step fails stays in place; the next
 * sync numbers it and, for a keyed delivery, the spool's retry finds it through the ledger.
 */
final class FolderSave {

    /** One message to put into place: a durable file and how to name it. */
    record Request(Path source, String base, Flags flags, Optional<String> deliveryKey, boolean intoCur) {
    }

    /** Where a request ended up: a new entry, or the one an earlier delivery with its key made. */
    record Placed(IndexEntry entry, boolean earlier) {
    }

    private final MaildirFolder folder;
    private final Path directory;
    private final String host;
    private final Durability durability;
    private final GroupCommit<Request, Placed> commits = new GroupCommit<>(this::commit);

    FolderSave(MaildirFolder folder, String host, Durability durability) {
        this.folder = folder;
        this.directory = folder.directory();
        this.host = host;
        this.durability = durability;
    }

    /**
     * Stores a message: written to {@code tmp/} and fsync'd, renamed into {@code new/} (no flags)
     * or {@code cur/} (with flags), the directory fsync'd, then numbered in the uidlist. With a
     * delivery key, a delivery already made under that key is returned instead of a second copy.
     */
    IndexEntry deliver(InputStream content, Flags flags, Date internalDate, Optional<String> deliveryKey) throws IOException {
        if (deliveryKey.isPresent()) {
            Optional<IndexEntry> earlier = folder.earlierDelivery(deliveryKey.get());
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        String tmpName = MaildirFileName.newUniquePart(host);
        Path tmpFile = directory.resolve("tmp").resolve(tmpName);
        try {
            long[] sizes = writeDurably(content, tmpFile, internalDate);
            String base = MaildirFileName.newBase(tmpName, sizes[0], sizes[1]);
            Flags stored = withoutRecent(flags);
            boolean hasFlags = stored.getSystemFlags().length > 0 || stored.getUserFlags().length > 0;
            Placed placed = commits.submit(new Request(tmpFile, base, stored, deliveryKey, hasFlags));
            if (placed.earlier()) {
                Files.deleteIfExists(tmpFile);
            }
            return placed.entry();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpFile);
            throw e;
        }
    }

    /**
     * Writes and fsyncs the file; returns its size as stored and with CRLF line endings. One
     * descriptor for the write and the fsync, as Dovecot's maildir-save does; the mtime (the
     * internal date) is set before the fsync so that the fsync makes it durable too.
     */
    private long[] writeDurably(InputStream content, Path tmpFile, Date internalDate) throws IOException {
        SizeCountingOutputStream counter;
        try (FileChannel channel = FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), bufferSize(content));
            counter = new SizeCountingOutputStream(buffered);
            content.transferTo(counter);
            buffered.flush();
            long mtime = internalDate == null ? Instant.now().toEpochMilli() : internalDate.getTime();
            Files.setLastModifiedTime(tmpFile, FileTime.fromMillis(mtime));
            durability.force(channel);
        }
        return new long[] {counter.size(), counter.virtualSize()};
    }

    /**
     * The write buffer for {@code content}: no larger than what it says it holds (a delivery's
     * content is an array of a few KB and says so exactly), at least {@link #MIN_BUFFER}; a
     * stream that does not know its size, or a large message, is written in
     * {@link #MAX_BUFFER} steps. A 64 KB buffer for every message was a tenth of all the bytes
     * the server allocated per mail (issue 18's allocation profile).
     */
    static int bufferSize(InputStream content) throws IOException {
        int known = content.available();
        return known <= 0 ? MAX_BUFFER : Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, known + 1));
    }

    static final int MIN_BUFFER = 8 << 10;
    static final int MAX_BUFFER = 64 << 10;

    /** Stores a copy of another folder's message in {@code cur/} (a hard link when possible), with the given flags. */
    IndexEntry copyIn(MaildirFolder source, long sourceUid, Flags flags) throws IOException {
        Path sourceFile = source.fileOf(sourceUid);
        String base = newBaseLike(source, sourceUid);
        Path tmpFile = directory.resolve("tmp").resolve(base);
        try {
            Files.createLink(tmpFile, sourceFile);
        } catch (IOException | UnsupportedOperationException noLink) {
            Files.copy(sourceFile, tmpFile, StandardCopyOption.COPY_ATTRIBUTES);
            durability.syncFile(tmpFile);
        }
        try {
            return commits.submit(new Request(tmpFile, base, withoutRecent(flags), Optional.empty(), true)).entry();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmpFile);
            throw e;
        }
    }

    /**
     * Moves another folder's message here by renaming its file (same file system), keeping the
     * file's base name, as Dovecot does. Returns the new entry; the source forgets the message.
     */
    IndexEntry moveIn(MaildirFolder source, long sourceUid, Flags flags) throws IOException {
        Path sourceFile = source.fileOf(sourceUid);
        // A fresh base name: the old one may still be in this folder's uidlist from an earlier
        // visit, and its UID must not come back.
        String base = newBaseLike(source, sourceUid);
        IndexEntry moved = commits.submit(new Request(sourceFile, base, withoutRecent(flags), Optional.empty(), true)).entry();
        source.movedAway(sourceUid);
        return moved;
    }

    private String newBaseLike(MaildirFolder source, long sourceUid) throws IOException {
        IndexEntry sourceEntry = source.entry(sourceUid).orElseThrow(() -> new NoSuchFileException(source.directory() + " uid " + sourceUid));
        return MaildirFileName.newBase(MaildirFileName.newUniquePart(host), sourceEntry.size(), source.virtualSize(sourceUid));
    }

    private static Flags withoutRecent(Flags flags) {
        Flags stored = new Flags(flags);
        stored.remove(Flags.Flag.RECENT);
        return stored;
    }

    // ---- the leader's part -------------------------------------------------------------------

    /** A request that is to be renamed into place, and where to. */
    private record Move(int index, Request request, Path target) {
    }

    private List<GroupCommit.Outcome<Placed>> commit(List<Request> batch) throws IOException {
        synchronized (folder) {
            List<GroupCommit.Outcome<Placed>> outcomes = new ArrayList<>(java.util.Collections.nCopies(batch.size(), null));
            List<Move> moves = new ArrayList<>();
            Map<String, Integer> firstWithKey = new HashMap<>();
            Map<String, String> newLedgerRecords = new LinkedHashMap<>();
            DovecotKeywords keywords = folder.keywordsRefreshed();
            for (int i = 0; i < batch.size(); i++) {
                Request request = batch.get(i);
                if (request.deliveryKey().isPresent()) {
                    String key = request.deliveryKey().get();
                    Optional<IndexEntry> earlier = folder.earlierDelivery(key);
                    if (earlier.isPresent()) {
                        outcomes.set(i, GroupCommit.Outcome.of(new Placed(earlier.get(), true)));
                        continue;
                    }
                    if (firstWithKey.putIfAbsent(key, i) != null) {
                        // The same delivery twice in one batch: settled below, once the first is placed.
                        continue;
                    }
                    newLedgerRecords.put(key, request.base());
                }
                try {
                    keywords.ensure(MaildirFlags.userFlags(request.flags()));
                } catch (IOException refused) {
                    outcomes.set(i, GroupCommit.Outcome.failed(refused));
                    request.deliveryKey().ifPresent(newLedgerRecords::remove);
                    continue;
                }
                moves.add(new Move(i, request, target(request, keywords)));
            }
            // Before the first rename: see the class comment.
            folder.ledger().record(newLedgerRecords);
            List<Move> placed = new ArrayList<>();
            Map<String, Long> uids = folder.uidList().assign(() -> renameAll(moves, placed, outcomes));
            for (Move move : placed) {
                outcomes.set(move.index(), GroupCommit.Outcome.of(new Placed(entryFor(move, uids.get(move.request().base())), false)));
            }
            folder.folderSync().ownRenamesIndexed();
            settleRepeatedKeys(batch, firstWithKey, outcomes);
            return outcomes;
        }
    }

    private Path target(Request request, DovecotKeywords keywords) {
        if (!request.intoCur()) {
            return directory.resolve("new").resolve(request.base());
        }
        String letters = MaildirFlags.toLetters(request.flags(), "", keywords);
        return directory.resolve("cur").resolve(new MaildirFileName(request.base(), Optional.of(letters)).fileName());
    }

    /**
     * Under the uidlist's dotlock: every rename, then one fsync of each directory they touched
     * (the targets', and a moved message's source folder). Not {@code tmp/}: on a journaling file
     * system a rename is one transaction, made durable whole by the target directory's fsync; at
     * worst, elsewhere, a crash leaves a stale extra name in {@code tmp/}, which no reader lists.
     * A rename that fails fails its request only; the file stays
     * where it was (in {@code tmp/} for its caller to remove, or in its source folder).
     */
    private List<String> renameAll(List<Move> moves, List<Move> placed, List<GroupCommit.Outcome<Placed>> outcomes) throws IOException {
        Set<Path> touched = new LinkedHashSet<>();
        folder.folderSync().ownRenamesStarting();
        for (Move move : moves) {
            Path source = move.request().source();
            try {
                Files.move(source, move.target(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException failed) {
                outcomes.set(move.index(), GroupCommit.Outcome.failed(failed));
                continue;
            }
            placed.add(move);
            touched.add(move.target().getParent());
            if (!source.getParent().getParent().equals(directory)) {
                touched.add(source.getParent());
            }
        }
        folder.folderSync().ownRenamesDone();
        for (Path changed : touched) {
            durability.syncDirectory(changed);
        }
        return placed.stream().map(move -> move.request().base()).toList();
    }

    private IndexEntry entryFor(Move move, long uid) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(move.target(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        MaildirFileName name = MaildirFileName.parse(move.request().base());
        IndexEntry entry = new IndexEntry(uid, move.target().getFileName().toString(), !move.request().intoCur(),
            name.size().orElse(attributes.size()), name.virtualSize().orElse(-1), attributes.lastModifiedTime().toMillis(),
            folder.index().nextModSeq());
        folder.index().remember(entry);
        return entry;
    }

    /** A delivery repeated within the batch gets what its first occurrence got, as an earlier delivery. */
    private static void settleRepeatedKeys(List<Request> batch, Map<String, Integer> firstWithKey, List<GroupCommit.Outcome<Placed>> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) != null) {
                continue;
            }
            GroupCommit.Outcome<Placed> first = outcomes.get(firstWithKey.get(batch.get(i).deliveryKey().orElseThrow()));
            outcomes.set(i, first.failure() != null ? first : GroupCommit.Outcome.of(new Placed(first.result().entry(), true)));
        }
    }

    /** Counts bytes as stored and as served with CRLF line endings. */
    private static final class SizeCountingOutputStream extends OutputStream {
        private final OutputStream out;
        private long size;
        private long bareLineFeeds;
        private int previous = -1;

        SizeCountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            count(b);
            out.write(b);
        }

        /**
         * The scan keeps its state in locals: the client compiler the server runs on keeps them
         * in registers but reads and writes fields at every byte, and this loop runs over every
         * byte a delivery stores (the top Java method by self time of a warm ingest profile).
         */
        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            int before = previous;
            long bare = 0;
            for (int i = offset, end = offset + length; i < end; i++) {
                int b = buffer[i];
                if (b == '\n' && before != '\r') {
                    bare++;
                }
                before = b;
            }
            previous = before;
            bareLineFeeds += bare;
            size += length;
            out.write(buffer, offset, length);
        }

        private void count(int b) {
            if (b == '\n' && previous != '\r') {
                bareLineFeeds++;
            }
            previous = b;
            size++;
        }

        long size() {
            return size;
        }

        long virtualSize() {
            return size + bareLineFeeds;
        }
    }
}
