package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance's server log ({@code var/log/maildeck.out}), read as it grows: each read decodes only
 * what the server appended since the last one. The tests wait on it five times a second
 * ({@link MaildeckInstance#awaitLog}, {@link MaildeckInstance#awaitMailLog}), and the log of a
 * server shared by a test JVM's classes reaches megabytes: reading and splitting all of it for
 * every look was test-JVM CPU taken from the servers on the same two cores.
 *
 * <p>The server and {@code bin/maildeck start} only append to it; a file that got shorter
 * (replaced) is read again from its start.
 */
final class ServerLog {

    /** The marker after which a mail-log line (logger {@code maildeck.mail}) has its text. */
    private static final String MAIL_MARKER = " maildeck.mail - ";

    private final Path file;
    /** The decoded complete lines (up to the last line break read). */
    private final StringBuilder complete = new StringBuilder();
    /** The file's bytes that {@link #complete} holds. */
    private long completeBytes;
    /** The mail-log lines among {@link #complete}, as the logger wrote them (after the marker). */
    private final List<String> completeMailLines = new ArrayList<>();

    ServerLog(Path file) {
        this.file = file;
    }

    /** The whole log as it is now, the line the server is writing included. */
    synchronized String text() throws IOException {
        String partial = readAppended();
        return complete + partial;
    }

    /** Every mail-log line so far, as the logger wrote it (after {@code "maildeck.mail - "}). */
    synchronized List<String> mailLines() throws IOException {
        String partial = readAppended();
        List<String> lines = new ArrayList<>(completeMailLines);
        partial.lines().forEach(line -> addMailLine(lines, line));
        return lines;
    }

    /**
     * Adds the complete lines appended since the last read to {@link #complete} and returns the
     * partial line after them (decoded once it is complete, so that no character is cut).
     */
    private String readAppended() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < completeBytes) {
                complete.setLength(0);
                completeMailLines.clear();
                completeBytes = 0;
            }
            ByteBuffer appended = ByteBuffer.allocate(Math.toIntExact(size - completeBytes));
            while (appended.hasRemaining() && channel.read(appended, completeBytes + appended.position()) >= 0) {
                // until the size seen above is read
            }
            byte[] bytes = appended.array();
            int length = appended.position();
            int lastBreak = length - 1;
            while (lastBreak >= 0 && bytes[lastBreak] != '\n') {
                lastBreak--;
            }
            if (lastBreak >= 0) {
                String lines = new String(bytes, 0, lastBreak + 1, UTF_8);
                complete.append(lines);
                lines.lines().forEach(line -> addMailLine(completeMailLines, line));
                completeBytes += lastBreak + 1;
            }
            return new String(bytes, lastBreak + 1, length - lastBreak - 1, UTF_8);
        }
    }

    private static void addMailLine(List<String> lines, String line) {
        int marker = line.indexOf(MAIL_MARKER);
        if (marker >= 0) {
            lines.add(line.substring(marker + MAIL_MARKER.length()));
        }
    }
}
