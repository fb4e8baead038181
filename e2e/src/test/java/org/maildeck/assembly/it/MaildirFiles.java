package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One Maildir folder as another program on the machine (an MDA, a script, rsync) sees it: message
 * files in {@code tmp/ new/ cur/}, named {@code <base>[:2,<flag letters>]}, and Dovecot's
 * {@code dovecot-uidlist} binding UIDs to base names.
 */
final class MaildirFiles {

    private static final AtomicLong COUNTER = new AtomicLong();

    /** One record of {@code dovecot-uidlist}: {@code <uid> [<ext>...] :<base>}. */
    record UidRecord(long uid, String base) {
    }

    private final Path folder;

    /** {@code folder}: the Maildir itself for INBOX, {@code Maildir/.Name} for another folder. */
    MaildirFiles(Path folder) {
        this.folder = folder;
    }

    /** Delivers like an MDA: writes the message into {@code tmp/}, then renames it into {@code new/}. */
    Path dropIntoNew(byte[] message) throws IOException {
        Path written = writeInTmp(message);
        return Files.move(written, folder.resolve("new").resolve(written.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the message into {@code tmp/}, then renames it into {@code cur/} with these flag letters. */
    Path dropIntoCur(byte[] message, String flagLetters) throws IOException {
        Path written = writeInTmp(message);
        Path target = folder.resolve("cur").resolve(written.getFileName() + ":2," + flagLetters);
        return Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>}, Dovecot's pattern, with the exact size. */
    private Path writeInTmp(byte[] message) throws IOException {
        Instant now = Instant.now();
        String name = now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + ProcessHandle.current().pid()
            + "Q" + COUNTER.incrementAndGet() + ".mda-test,S=" + message.length;
        return Files.write(folder.resolve("tmp").resolve(name), message);
    }

    /** The file holding the message with this UID, in {@code new/} or {@code cur/}. */
    Path fileOf(long uid) throws IOException {
        String base = uidList().stream().filter(record -> record.uid() == uid).map(UidRecord::base).reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no UID " + uid + " in " + folder.resolve("dovecot-uidlist")));
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> files = Files.list(folder.resolve(sub))) {
                List<Path> matching = files.filter(file -> file.getFileName().toString().split(":", 2)[0].equals(base)).toList();
                if (!matching.isEmpty()) {
                    return matching.get(0);
                }
            }
        }
        throw new AssertionError("no file for UID " + uid + " (" + base + ") in " + folder);
    }

    /** The records of {@code dovecot-uidlist}, in file order (the header line left out). */
    List<UidRecord> uidList() throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve("dovecot-uidlist"), UTF_8);
        List<UidRecord> records = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(" :");
            records.add(new UidRecord(Long.parseLong(line.substring(0, line.indexOf(' '))), line.substring(colon + 2).split(":", 2)[0]));
        }
        return records;
    }
}
