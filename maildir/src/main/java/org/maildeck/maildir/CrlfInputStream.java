package org.maildeck.maildir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Serves a message stored with bare LF line endings (as procmail, Postfix or Dovecot write them)
 * with CRLF, the form IMAP and POP3 require and the form {@code W=} sizes count.
 */
final class CrlfInputStream extends FilterInputStream {

    private final byte[] chunk = new byte[8192];
    private int previous = -1;
    private boolean pendingLf;

    CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            previous = '\n';
            return '\n';
        }
        int next = in.read();
        if (next == '\n' && previous != '\r') {
            pendingLf = true;
            previous = '\r';
            return '\r';
        }
        previous = next;
        return next;
    }

    /** Expands one chunk of the underlying stream at a time: never more than one read call per call. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int count = 0;
        if (pendingLf) {
            pendingLf = false;
            previous = '\n';
            buffer[offset + count++] = '\n';
        }
        // Each input byte yields at most two output bytes.
        int want = Math.min(chunk.length, (length - count) / 2);
        if (want == 0) {
            if (count > 0) {
                return count;
            }
            int single = read();
            if (single < 0) {
                return -1;
            }
            buffer[offset] = (byte) single;
            return 1;
        }
        int read = in.read(chunk, 0, want);
        if (read < 0) {
            return count == 0 ? -1 : count;
        }
        for (int i = 0; i < read; i++) {
            byte b = chunk[i];
            if (b == '\n' && previous != '\r') {
                buffer[offset + count++] = '\r';
            }
            buffer[offset + count++] = b;
            previous = b;
        }
        return count;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return pendingLf ? 1 : 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Size of the content once served with CRLF line endings. */
    static long virtualSize(InputStream content) throws IOException {
        long size = 0;
        int previous = -1;
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = content.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                int b = buffer[i];
                if (b == '\n' && previous != '\r') {
                    size++;
                }
                size++;
                previous = b;
            }
        }
        return size;
    }
}
