package org.maildeck.imap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.netty.buffer.ByteBuf;

/**
 * One IMAP command written to a temp file as its bytes arrive, from its tag to the line feed that
 * ends it, past every literal it announces (a line ending in {@code {N}} or {@code {N+}} is
 * followed by N bytes of literal, then the command goes on; the first line end that announces
 * nothing ends it). A parser then reads the whole command from the file, all the messages of a
 * MULTIAPPEND included. The size on disk is bounded by {@link ImapLiteralGuard}, which refuses a
 * command whose literals together pass its limit before their bytes come.
 */
final class SpooledCommand {

    static final String PREFIX = "imap-literal";

    private final LiteralAnnouncement line = new LiteralAnnouncement();
    private final Path file;
    private final FileChannel out;
    private long literalBytesLeft;

    private SpooledCommand(Path file, FileChannel out) {
        this.file = file;
        this.out = out;
    }

    static SpooledCommand create() throws IOException {
        Path file = Files.createTempFile(PREFIX, ".tmp");
        try {
            return new SpooledCommand(file, FileChannel.open(file, StandardOpenOption.WRITE));
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Writes the command's bytes from {@code in} to the file, stopping after the line feed that
     * ends the command (bytes after it are left in {@code in}).
     *
     * @return whether the command is complete (the file is then closed for writing)
     */
    boolean append(ByteBuf in) throws IOException {
        int end = commandEnd(in);
        int length = (end < 0 ? in.writerIndex() : end) - in.readerIndex();
        while (length > 0) {
            length -= in.readBytes(out, length);
        }
        if (end < 0) {
            return false;
        }
        out.close();
        return true;
    }

    Path file() {
        return file;
    }

    /** Removes the file: the command was refused, or the connection closed before its end. */
    void discard() throws IOException {
        out.close();
        Files.deleteIfExists(file);
    }

    /** The index just after the line feed that ends the command in {@code in}, or -1 if it does not end there. */
    private int commandEnd(ByteBuf in) {
        int end = in.writerIndex();
        for (int i = in.readerIndex(); i < end; i++) {
            if (literalBytesLeft > 0) {
                int skip = (int) Math.min(literalBytesLeft, end - i);
                literalBytesLeft -= skip;
                i += skip - 1;
                continue;
            }
            byte b = in.getByte(i);
            if (b != '\n') {
                line.note(b);
                continue;
            }
            long announced = line.endOfLine();
            if (announced == LiteralAnnouncement.NONE) {
                return i + 1;
            }
            literalBytesLeft = announced;
        }
        return -1;
    }
}
