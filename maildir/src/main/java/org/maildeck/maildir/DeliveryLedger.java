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

/**
 * {@code maildeck-deliveries}: which queued delivery (its key: the mail, the recipient, the folder)
 * became which file.
 * Written and synced after the message is durable in {@code tmp/} and before it is renamed into
 * place. When the spool hands the same mail out again after a crash, the folder finds the file it
 * already made and does not deliver a second copy.
 */
final class DeliveryLedger {

    static final String FILE_NAME = "maildeck-deliveries";
    private static final int KEEP_AT_MOST = 20_000;

    private final Path file;
    private final Durability durability;
    private Map<String, String> baseByKey;
    /** Whether the file exists: known from loading it, so that recording needs no extra look. */
    private boolean onDisk;

    DeliveryLedger(Path folderDirectory, Durability durability) {
        this.file = folderDirectory.resolve(FILE_NAME);
        this.durability = durability;
    }

    Optional<String> baseFor(String key) throws IOException {
        load();
        return Optional.ofNullable(baseByKey.get(clean(key)));
    }

    void record(String key, String base) throws IOException {
        load();
        String line = clean(key) + "\t" + base + "\n";
        boolean created = !onDisk;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(UTF_8)));
            durability.force(channel);
        }
        if (created) {
            // A new file's name is durable only once its directory is synced (a power loss would
            // otherwise take the ledger and leave its first deliveries unrecognised).
            durability.syncDirectory(file.getParent());
            onDisk = true;
        }
        baseByKey.put(clean(key), base);
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
            List<String> lines = Files.readAllLines(file, UTF_8);
            onDisk = true;
            for (String line : lines) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    baseByKey.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (NoSuchFileException none) {
            // no delivery with a key yet
        }
    }

    private static String clean(String key) {
        return key.replaceAll("[\\t\\r\\n]", " ");
    }
}
