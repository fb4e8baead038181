package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.maildeck.durability.Durability;

/**
 * {@code maildeck-deliveries}: which queued delivery (its key: the mail, the recipient, the folder)
 * became which file.
 * Appended after the message is durable in {@code tmp/} and before it is renamed into place, in
 * the same locked step as the batch's renames and uidlist records, without an fsync of its own
 * (why that is enough: {@link FolderSave}). When the spool hands the same mail out again after a
 * crash, the folder finds the file it already made and does not deliver a second copy.
 * Synchronized on itself, so that a delivery can look its key up while a batch is being committed.
 */
final class DeliveryLedger {

    static final String FILE_NAME = "maildeck-deliveries";
    private static final int KEEP_AT_MOST = 20_000;
    private static final java.util.regex.Pattern OLDER_DIGEST = java.util.regex.Pattern.compile("[0-9a-f]{16}");

    private final Path file;
    private final Durability durability;
    private Map<String, String> baseByKey;
    /**
     * The leading words (all but the last) of keys in the form earlier builds wrote: their
     * last word, the digest of the mail's body, was 16 hex digits of its SHA-256 (now a cheaper
     * checksum, see MaildirDelivery). Read from the file only: nothing writes that form any more.
     */
    private final java.util.Set<String> leadingWordsOfOlderKeys = new java.util.HashSet<>();
    /** Whether the file's last line lacks its newline (a writer killed mid-write). */
    private boolean endsMidLine;

    DeliveryLedger(Path folderDirectory, Durability durability) {
        this.file = folderDirectory.resolve(FILE_NAME);
        this.durability = durability;
    }

    synchronized Optional<String> baseFor(String key) throws IOException {
        load();
        return Optional.ofNullable(baseByKey.get(clean(key)));
    }

    /**
     * Whether a key with the same leading words and a digest in the older form is recorded, so
     * that a mail delivered before an upgrade and handed out again after it is still found.
     */
    synchronized boolean mayHoldOlderFormOf(String key) throws IOException {
        load();
        if (leadingWordsOfOlderKeys.isEmpty()) {
            return false;
        }
        String cleaned = clean(key);
        int lastSpace = cleaned.lastIndexOf(' ');
        return lastSpace > 0 && leadingWordsOfOlderKeys.contains(cleaned.substring(0, lastSpace));
    }

    /**
     * Appends the records in one write, not synced: written before the files they name are
     * renamed into place, they are in the kernel's page cache before the files are visible.
     */
    synchronized void record(Map<String, String> baseByNewKey) throws IOException {
        if (baseByNewKey.isEmpty()) {
            return;
        }
        load();
        StringBuilder lines = new StringBuilder();
        if (endsMidLine) {
            // A write cut short by a kill: our records start on a line of their own.
            lines.append('\n');
        }
        baseByNewKey.forEach((key, base) -> lines.append(clean(key)).append('\t').append(base).append('\n'));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        endsMidLine = false;
        baseByNewKey.forEach((key, base) -> baseByKey.put(clean(key), base));
        if (baseByKey.size() > KEEP_AT_MOST) {
            trim();
        }
    }

    private void trim() throws IOException {
        List<Map.Entry<String, String>> entries = List.copyOf(baseByKey.entrySet());
        StringBuilder kept = new StringBuilder();
        baseByKey.clear();
        for (Map.Entry<String, String> entry : entries.subList(entries.size() - KEEP_AT_MOST / 2, entries.size())) {
            kept.append(entry.getKey()).append('\t').append(entry.getValue()).append('\n');
            baseByKey.put(entry.getKey(), entry.getValue());
        }
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(temporary, kept, UTF_8);
        durability.syncFile(temporary);
        durability.durableRename(temporary, file);
    }

    private void load() throws IOException {
        if (baseByKey != null) {
            return;
        }
        baseByKey = new LinkedHashMap<>();
        try {
            String content = Files.readString(file, UTF_8);
            endsMidLine = !content.isEmpty() && !content.endsWith("\n");
            int end = endsMidLine ? content.lastIndexOf('\n') + 1 : content.length();
            // A last line without its newline was cut short: its base may be truncated, so it is ignored.
            for (String line : content.substring(0, end).split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    String key = line.substring(0, tab);
                    baseByKey.put(key, line.substring(tab + 1));
                    rememberIfOlderForm(key);
                }
            }
        } catch (NoSuchFileException none) {
            // no delivery with a key yet
        }
    }

    private void rememberIfOlderForm(String key) {
        int lastSpace = key.lastIndexOf(' ');
        if (lastSpace > 0 && OLDER_DIGEST.matcher(key).region(lastSpace + 1, key.length()).matches()) {
            leadingWordsOfOlderKeys.add(key.substring(0, lastSpace));
        }
    }

    /** Keys are one line of the file: no tab, CR or LF in them (nearly always none to replace). */
    private static String clean(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                return key.replaceAll("[\\t\\r\\n]", " ");
            }
        }
        return key;
    }
}
