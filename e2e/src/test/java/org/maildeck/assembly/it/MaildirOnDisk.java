package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What a user's Maildir++ holds on disk, read the way Dovecot reads it. */
final class MaildirOnDisk {

    private MaildirOnDisk() {
    }

    /** The directory of a folder: INBOX is the Maildir itself, {@code a.b} is {@code .a.b} beside it. */
    static Path folder(Path maildir, String name) {
        return name.equalsIgnoreCase("INBOX") ? maildir : maildir.resolve("." + name);
    }

    static boolean isMaildir(Path directory) {
        return Stream.of("cur", "new", "tmp").allMatch(sub -> Files.isDirectory(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS));
    }

    /** The message files of a folder's {@code sub} directory ({@code cur} or {@code new}), sorted by name. */
    static List<Path> files(Path folderDirectory, String sub) {
        Path directory = folderDirectory.resolve(sub);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                .filter(path -> !path.getFileName().toString().startsWith("."))
                .sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every message file of a folder: {@code new/} and {@code cur/}. */
    static List<Path> messages(Path folderDirectory) {
        List<Path> all = new ArrayList<>(files(folderDirectory, "new"));
        all.addAll(files(folderDirectory, "cur"));
        return all;
    }

    /** The base name: the file name without {@code :2,<flags>}. */
    static String base(Path file) {
        String name = file.getFileName().toString();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /** The flag letters after {@code :2,}, or empty when the name has none. */
    static Optional<String> flagLetters(Path file) {
        String name = file.getFileName().toString();
        int info = name.indexOf(":2,");
        return info < 0 ? Optional.empty() : Optional.of(name.substring(info + 3));
    }

    /** {@code dovecot-keywords}: keyword by index (letter {@code 'a' + index}). */
    static Map<Integer, String> keywords(Path folderDirectory) {
        Map<Integer, String> keywords = new LinkedHashMap<>();
        Path file = folderDirectory.resolve("dovecot-keywords");
        if (!Files.exists(file)) {
            return keywords;
        }
        for (String line : readLines(file)) {
            int space = line.indexOf(' ');
            if (space > 0) {
                keywords.put(Integer.parseInt(line.substring(0, space)), line.substring(space + 1));
            }
        }
        return keywords;
    }

    /** {@code dovecot-uidlist}: the base name of each UID ({@code <uid> [ext...] :<base>} records). */
    static Map<Long, String> uidList(Path folderDirectory) {
        Map<Long, String> bases = new LinkedHashMap<>();
        List<String> lines = readLines(folderDirectory.resolve("dovecot-uidlist"));
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(" :");
            if (colon > 0) {
                bases.put(Long.parseLong(line.substring(0, line.indexOf(' '))), line.substring(colon + 2));
            }
        }
        return bases;
    }

    /** The {@code V} field (UIDVALIDITY) of the {@code dovecot-uidlist} header. */
    static long uidValidity(Path folderDirectory) {
        String header = readLines(folderDirectory.resolve("dovecot-uidlist")).get(0);
        for (String field : header.split(" ")) {
            if (field.startsWith("V")) {
                return Long.parseLong(field.substring(1));
            }
        }
        throw new AssertionError("no V field in the dovecot-uidlist header: " + header);
    }

    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the folder's {@code sub} directory holds {@code count} files; returns them. */
    static List<Path> awaitFiles(Path folderDirectory, String sub, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> files = files(folderDirectory, sub);
        while (files.size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(folderDirectory.resolve(sub) + " holds " + files.size() + " files after " + timeout
                    + ", expected " + count + ": " + files);
            }
            Thread.sleep(200);
            files = files(folderDirectory, sub);
        }
        return files;
    }

    /** Polls until a message of the folder (new/ or cur/) contains every one of {@code texts}; returns its content. */
    static Optional<String> awaitMessageContaining(Path folderDirectory, Duration timeout, String... texts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (Path file : messages(folderDirectory)) {
                String content;
                try {
                    content = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // renamed by a flag change while we looked
                }
                if (java.util.Arrays.stream(texts).allMatch(content::contains)) {
                    return Optional.of(content);
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }
}
