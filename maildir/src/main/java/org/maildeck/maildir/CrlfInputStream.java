package org.maildeck.maildir;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Serves a message stored with bare LF line endings (as procmail, Postfix or Dovecot write them)
 * with CRLF, the form IMAP and POP3 require and the form {@code W=} sizes count.
 */
final class CrlfInputStream extends FilterInputStream {

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

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int count = 0;
        while (count < length) {
            if (count > 0 && !pendingLf && in.available() <= 0) {
                break;
            }
            int next = read();
            if (next < 0) {
                return count == 0 ? -1 : count;
            }
            buffer[offset + count++] = (byte) next;
        }
        return count;
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
