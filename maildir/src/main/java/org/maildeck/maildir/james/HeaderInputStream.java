package org.maildeck.maildir.james;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The header of a message, read from the message's content stream: its octets up to and including
 * the blank line that ends it (all of them when there is none), then the end of the stream. The
 * content is read one octet at a time (it is buffered underneath), so it is left at the first
 * octet of the body: one opening of the file gives the header, its length and the body.
 */
final class HeaderInputStream extends FilterInputStream {

    /** 0: inside a line; 1: right after a line's LF; 2: after the blank line (the end). */
    private int state;
    private long octets;

    HeaderInputStream(InputStream content) {
        super(content);
    }

    /** Reads past the header of {@code content}, which is left at the body; returns the header's length. */
    static long skip(InputStream content) throws IOException {
        HeaderInputStream header = new HeaderInputStream(content);
        while (header.read() >= 0) {
            // counting
        }
        return header.octets;
    }

    @Override
    public int read() throws IOException {
        if (state == 2) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            state = 2;
            return -1;
        }
        octets++;
        if (b == '\n') {
            state = state == 1 ? 2 : 1;
        } else if (b != '\r') {
            state = 0;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int count = 0;
        while (count < length) {
            int b = read();
            if (b < 0) {
                break;
            }
            buffer[offset + count++] = (byte) b;
            if (state == 2) {
                break;
            }
        }
        return count == 0 ? -1 : count;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // not supported
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
