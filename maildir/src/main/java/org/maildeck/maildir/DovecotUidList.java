package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.maildeck.durability.Durability;

/**
 * {@code dovecot-uidlist}, version 3: the header {@code 3 V<uidvalidity> N<nextuid> G<guid>}
 * then one record per message, {@code <uid> [<ext>...] :<base name>}. It is the one place where
 * a UID is bound to a file, shared with Dovecot. Records are appended under the dotlock and
 * fsync'd before a UID is handed out, so a UID can never be given to two files.
 */
public final class DovecotUidList {

    public static final String FILE_NAME = "dovecot-uidlist";

    private final Path file;
    private final Durability durability;
    private long uidValidity;
    private long headerNextUid;
    private long highestUid;
    private String guid;
    /**
     * UIDVALIDITY and GUID as last read, published for {@link MaildirFolder#identity()}, which
     * every mailbox lookup calls: it reads them without waiting for the folder's monitor.
     */
    private volatile Identity identity;
    /** base name to record, and uid to base: both views of the same records. */
    private final Map<String, Long> uidByBase = new HashMap<>();
    private final TreeMap<Long, Record> records = new TreeMap<>();
    private Object fileKey;
    private long consumed;
    /** Where the last read ended: beyond {@link #consumed} when the file ends mid-line. */
    private long readEnd;
    private long seenSize = -1;
    private long seenModified = -1;

    private record Record(String base, String extensions) {
    }

    public DovecotUidList(Path folderDirectory, Durability durability) {
        this.file = folderDirectory.resolve(FILE_NAME);
        this.durability = durability;
    }

    /** UIDVALIDITY and GUID from the header line alone, without reading the records. */
    public record Identity(long uidValidity, String guid) {
    }

    public static Optional<Identity> peekIdentity(Path folderDirectory) throws IOException {
        Path file = folderDirectory.resolve(FILE_NAME);
        String header;
        try (java.io.BufferedReader reader = Files.newBufferedReader(file, UTF_8)) {
            header = reader.readLine();
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
        if (header == null) {
            return Optional.empty();
        }
        // Only parses the header: writes nothing, so there is no fsync to watch.
        DovecotUidList parsed = new DovecotUidList(folderDirectory, Durability.UNWATCHED);
        parsed.parseHeader(header);
        return Optional.of(new Identity(parsed.uidValidity, parsed.guid));
    }

    public boolean exists() {
        return Files.exists(file);
    }

    public long uidValidity() {
        return uidValidity;
    }

    public String guid() {
        return guid;
    }

    /** UIDVALIDITY and GUID as last read, or null before the list was read; safe from any thread. */
    public Identity identity() {
        return identity;
    }

    /** The next UID this list would hand out: never lower than one already used. */
    public long nextUid() {
        return Math.max(headerNextUid, highestUid + 1);
    }

    /** The file as the last read found it, for {@link FolderStamp}; null before the first read. */
    FolderStamp.UidListFile lastRead() {
        return fileKey == null ? null : new FolderStamp.UidListFile(fileKey, seenSize, seenModified);
    }

    public OptionalLong uidOf(String base) {
        Long uid = uidByBase.get(base);
        return uid == null ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    public int recordCount() {
        return records.size();
    }

    /**
     * Creates the list for a folder that has none, with the given UIDVALIDITY. Returns false when
     * another process created it first (then it has been read instead).
     */
    public boolean create(long newUidValidity) throws IOException {
        try (DotLock lock = DotLock.acquire(file)) {
            if (Files.exists(file)) {
                refresh();
                return false;
            }
            uidValidity = newUidValidity;
            headerNextUid = 1;
            highestUid = 0;
            guid = UUID.randomUUID().toString().replace("-", "");
            lock.replaceTarget(render(Map.of()).getBytes(UTF_8), durability);
            forgetFileState();
            refresh();
            return true;
        }
    }

    /**
     * Reads what changed since the last call: only the appended tail when the file grew in place,
     * everything when it was replaced. Returns whether anything was read.
     */
    public boolean refresh() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException missing) {
            boolean hadContent = fileKey != null;
            clear();
            return hadContent;
        }
        Object key = attributes.fileKey();
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        if (Objects.equals(key, fileKey) && size == seenSize && modified == seenModified) {
            return false;
        }
        if (!Objects.equals(key, fileKey) || size < consumed) {
            clear();
        }
        readFrom(consumed);
        fileKey = key;
        seenSize = size;
        seenModified = modified;
        return true;
    }

    private void readFrom(long offset) throws IOException {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             InputStream in = Channels.newInputStream(channel.position(offset))) {
            bytes = in.readAllBytes();
        }
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, lineStart, i - lineStart, UTF_8);
                if (offset + lineStart == 0) {
                    parseHeader(line);
                } else {
                    parseRecord(line);
                }
                lineStart = i + 1;
            }
        }
        // A line without its newline is still being written: read it next time.
        consumed = offset + lineStart;
        readEnd = offset + bytes.length;
    }

    private void parseHeader(String line) throws IOException {
        String[] fields = line.trim().split(" +");
        if (fields[0].equals("3")) {
            for (int i = 1; i < fields.length; i++) {
                String field = fields[i];
                if (field.isEmpty()) {
                    continue;
                }
                String value = field.substring(1);
                switch (field.charAt(0)) {
                    case 'V' -> uidValidity = parseNumber(value, line);
                    case 'N' -> headerNextUid = parseNumber(value, line);
                    case 'G' -> guid = value;
                    default -> { }
                }
            }
        } else if (fields[0].equals("1") && fields.length >= 3) {
            uidValidity = parseNumber(fields[1], line);
            headerNextUid = parseNumber(fields[2], line);
        } else {
            throw new IOException("unsupported " + file + " header: " + line);
        }
        if (guid == null) {
            guid = UUID.nameUUIDFromBytes((file.toString() + uidValidity).getBytes(UTF_8)).toString().replace("-", "");
        }
        identity = new Identity(uidValidity, guid);
    }

    private long parseNumber(String value, String line) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("bad number in " + file + ": " + line, e);
        }
    }

    private void parseRecord(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return;
        }
        long uid;
        try {
            uid = Long.parseLong(line.substring(0, space));
        } catch (NumberFormatException e) {
            return;
        }
        String rest = line.substring(space + 1);
        String extensions = "";
        String name;
        int colon = rest.indexOf(':');
        if (colon >= 0 && (colon == 0 || rest.charAt(colon - 1) == ' ')) {
            extensions = rest.substring(0, colon).trim();
            name = rest.substring(colon + 1);
        } else {
            // version 1 records: "<uid> <file name>"
            name = rest;
        }
        String base = MaildirFileName.parse(name).base();
        Record previous = records.put(uid, new Record(base, extensions));
        if (previous != null) {
            uidByBase.remove(previous.base());
        }
        uidByBase.put(base, uid);
        highestUid = Math.max(highestUid, uid);
    }

    /**
     * Gives UIDs to the base names that have none, appending their records under the dotlock.
     * Bases another process numbered meanwhile keep that process's UID.
     */
    public Map<String, Long> assign(Collection<String> bases) throws IOException {
        return assign(() -> bases);
    }

    /** Something done under the uidlist's dotlock. */
    public interface LockedStep {
        void run() throws IOException;
    }

    /** Puts files into place under the uidlist's dotlock and says which base names it placed. */
    public interface PlacingStep {
        Collection<String> place() throws IOException;
    }

    /**
     * Like {@link #assign(Collection)}, for the base names {@code step} returns once it has run
     * with the dotlock held (e.g. renaming new files into place, so that they are numbered as soon
     * as they are visible): if the lock cannot be had, nothing has been done. One append and one
     * fsync for all of them.
     */
    public Map<String, Long> assign(PlacingStep step) throws IOException {
        Map<String, Long> assigned = new LinkedHashMap<>();
        try (DotLock lock = DotLock.acquire(file)) {
            refresh();
            Collection<String> bases = step.place();
            StringBuilder appended = new StringBuilder();
            long next = nextUid();
            for (String base : bases) {
                OptionalLong existing = uidOf(base);
                if (existing.isPresent()) {
                    assigned.put(base, existing.getAsLong());
                    continue;
                }
                long uid = next++;
                appended.append(uid).append(" :").append(base).append('\n');
                assigned.put(base, uid);
            }
            if (appended.length() > 0) {
                if (endsWithoutNewline()) {
                    // A writer died mid-record: our records must start on a line of their own.
                    appended.insert(0, '\n');
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    channel.write(java.nio.ByteBuffer.wrap(appended.toString().getBytes(UTF_8)));
                    durability.force(channel);
                }
                refresh();
            }
        }
        return assigned;
    }

    /**
     * Runs {@code step} holding the uidlist's dotlock, as Dovecot does while it renames files for
     * flag changes, so that its directory scans and ours do not cross.
     */
    public void underLock(LockedStep step) throws IOException {
        try (DotLock lock = DotLock.acquire(file)) {
            step.run();
        }
    }

    /**
     * Whether the file ends without its newline, as the last {@link #refresh()} read it: exact
     * while the dotlock is held, for nobody else appends then.
     */
    private boolean endsWithoutNewline() {
        return readEnd > consumed;
    }

    /**
     * Rewrites the list with only the records of files that still exist, keeping the header's
     * next UID, so that expunged UIDs are never handed out again.
     */
    public void compact(Collection<String> liveBases) throws IOException {
        try (DotLock lock = DotLock.acquire(file)) {
            refresh();
            Map<Long, Record> live = new TreeMap<>();
            java.util.Set<String> keep = new java.util.HashSet<>(liveBases);
            records.forEach((uid, record) -> {
                if (keep.contains(record.base())) {
                    live.put(uid, record);
                }
            });
            headerNextUid = nextUid();
            lock.replaceTarget(render(live).getBytes(UTF_8), durability);
            forgetFileState();
            refresh();
        }
    }

    private String render(Map<Long, Record> content) {
        StringBuilder out = new StringBuilder();
        out.append("3 V").append(uidValidity).append(" N").append(nextUid()).append(" G").append(guid).append('\n');
        content.forEach((uid, record) -> {
            out.append(uid).append(' ');
            if (!record.extensions().isEmpty()) {
                out.append(record.extensions()).append(' ');
            }
            out.append(':').append(record.base()).append('\n');
        });
        return out.toString();
    }

    private void forgetFileState() {
        fileKey = null;
        seenSize = -1;
        seenModified = -1;
        consumed = 0;
        readEnd = 0;
    }

    private void clear() {
        forgetFileState();
        uidByBase.clear();
        records.clear();
        highestUid = 0;
        headerNextUid = 1;
        uidValidity = 0;
        guid = null;
        identity = null;
    }

    public Optional<String> baseOf(long uid) {
        return Optional.ofNullable(records.get(uid)).map(Record::base);
    }

    /** For diagnostics and tests: the list as Dovecot would read it. */
    String renderForTest() {
        return render(records);
    }
}
