package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.maildeck.durability.Durability;

/**
 * {@code dovecot-keywords}: one line {@code <index> <keyword>} per custom keyword; keyword
 * {@code n} is the letter {@code 'a' + n} in file names, so a folder holds at most 26.
 */
public final class DovecotKeywords {

    public static final String FILE_NAME = "dovecot-keywords";
    public static final int MAX_KEYWORDS = 26;

    private final Path file;
    private final Durability durability;
    /**
     * Keyword by index, replaced whole and never changed once published: the flags of a message
     * ({@link MaildirFolder#flagsOf}) are read without the folder's monitor.
     */
    private volatile String[] byIndex = new String[MAX_KEYWORDS];
    private FileTime seenModified;
    private Object seenKey;

    public DovecotKeywords(Path folderDirectory, Durability durability) {
        this.file = folderDirectory.resolve(FILE_NAME);
        this.durability = durability;
    }

    public void refresh() throws IOException {
        // Most folders have no keywords file (Dovecot writes one for the first keyword), and every
        // sync asks: java.io's look says so without the NoSuchFileException NIO throws, one per
        // sync with its stack trace filled (bench/README.md, "STATUS on the session's thread").
        if (!file.toFile().exists()) {
            forget();
            return;
        }
        FileTime modified;
        Object key;
        try {
            var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            modified = attributes.lastModifiedTime();
            key = attributes.fileKey();
        } catch (NoSuchFileException removedMeanwhile) {
            forget();
            return;
        }
        if (modified.equals(seenModified) && Objects.equals(key, seenKey)) {
            return;
        }
        String[] read = new String[MAX_KEYWORDS];
        for (String line : Files.readAllLines(file, UTF_8)) {
            int space = line.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                int index = Integer.parseInt(line.substring(0, space));
                if (index >= 0 && index < MAX_KEYWORDS) {
                    read[index] = line.substring(space + 1);
                }
            } catch (NumberFormatException ignored) {
                // a line we do not understand is not ours to fix
            }
        }
        byIndex = read;
        seenModified = modified;
        seenKey = key;
    }

    private void forget() {
        byIndex = new String[MAX_KEYWORDS];
        seenModified = null;
        seenKey = null;
    }

    public Optional<String> keywordOf(char letter) {
        int index = letter - 'a';
        if (index < 0 || index >= MAX_KEYWORDS) {
            return Optional.empty();
        }
        return Optional.ofNullable(byIndex[index]);
    }

    public Optional<Character> letterOf(String keyword) {
        String[] names = byIndex;
        for (int i = 0; i < MAX_KEYWORDS; i++) {
            if (names[i] != null && names[i].equalsIgnoreCase(keyword)) {
                return Optional.of((char) ('a' + i));
            }
        }
        return Optional.empty();
    }

    /**
     * Makes sure every keyword has a letter, adding the missing ones to the file under its
     * dotlock. Fails when the folder's 26 letters are used up.
     */
    public void ensure(Collection<String> keywords) throws IOException {
        List<String> missing = keywords.stream().filter(k -> letterOf(k).isEmpty()).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        try (DotLock lock = DotLock.acquire(file)) {
            refresh();
            String[] updated = byIndex.clone();
            for (String keyword : missing) {
                if (letterOf(keyword).isPresent() || contains(updated, keyword)) {
                    continue;
                }
                int free = firstFree(updated);
                if (free < 0) {
                    // Nothing is kept: a letter must never exist only in memory.
                    throw new KeywordLimitException(keyword);
                }
                updated[free] = keyword;
            }
            StringBuilder content = new StringBuilder();
            for (int i = 0; i < MAX_KEYWORDS; i++) {
                if (updated[i] != null) {
                    content.append(i).append(' ').append(updated[i]).append('\n');
                }
            }
            lock.replaceTarget(content.toString().getBytes(UTF_8), durability);
            seenModified = null;
            refresh();
        }
    }

    private static boolean contains(String[] names, String keyword) {
        for (String name : names) {
            if (name != null && name.equalsIgnoreCase(keyword)) {
                return true;
            }
        }
        return false;
    }

    private static int firstFree(String[] names) {
        for (int i = 0; i < MAX_KEYWORDS; i++) {
            if (names[i] == null) {
                return i;
            }
        }
        return -1;
    }

    public static final class KeywordLimitException extends IOException {
        public KeywordLimitException(String keyword) {
            super("cannot store keyword " + keyword + ": the folder already uses all " + MAX_KEYWORDS + " keyword letters");
        }
    }
}
