package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.maildeck.durability.Durability;

/**
 * Dovecot's {@code subscriptions} file in the user's Maildir. Dovecot 2.2+ writes a version
 * header ({@code V<TAB>2}, an empty line) and one name per line, in modified UTF-7, with TAB
 * between hierarchy levels; older files have plain names with the separator. Both are read; the
 * new form is written, under the file's dotlock like Dovecot.
 */
public final class DovecotSubscriptions {

    public static final String FILE_NAME = "subscriptions";
    private static final String HEADER = "V\t2\n\n";

    private final Path file;
    private final Durability durability;

    public DovecotSubscriptions(Path maildir, Durability durability) {
        this.file = maildir.resolve(FILE_NAME);
        this.durability = durability;
    }

    public synchronized Set<String> read() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException none) {
            return names;
        }
        int start = 0;
        if (!lines.isEmpty() && lines.get(0).startsWith("V\t")) {
            start = 1;
        }
        for (String line : lines.subList(start, lines.size())) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                names.add(MaildirLayout.decode(line).replace('\t', MaildirLayout.SEPARATOR));
            } catch (java.nio.charset.CharacterCodingException notModifiedUtf7) {
                names.add(line.replace('\t', MaildirLayout.SEPARATOR));
            }
        }
        return names;
    }

    public synchronized void add(String name) throws IOException {
        change(names -> names.add(name));
    }

    public synchronized void remove(String name) throws IOException {
        change(names -> names.remove(name));
    }

    /** Reads, changes and writes under the dotlock, so a change Dovecot made meanwhile is kept. */
    private void change(java.util.function.Predicate<Set<String>> edit) throws IOException {
        Files.createDirectories(file.getParent());
        try (DotLock lock = DotLock.acquire(file)) {
            Set<String> names = read();
            if (!edit.test(names)) {
                return;
            }
            StringBuilder content = new StringBuilder(HEADER);
            for (String name : names) {
                content.append(MaildirLayout.encode(name).replace(MaildirLayout.SEPARATOR, '\t')).append('\n');
            }
            lock.replaceTarget(content.toString().getBytes(UTF_8), durability);
        }
    }
}
