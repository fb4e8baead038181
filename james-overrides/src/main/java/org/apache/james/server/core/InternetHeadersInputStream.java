package org.apache.james.server.core;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import javax.mail.internet.InternetHeaders;

/**
 * Maildeck's replacement for James 3.8.1's class of this name: the header lines of a message as
 * bytes, each ended by CRLF, and the empty line that ends the header.
 *
 * <p>Why it exists: James writes the header through this stream whenever a header was changed,
 * and every mail Maildeck delivers had one changed ({@code X-Virus-Scanned}). James's version
 * encodes the lines as US-ASCII, so a raw 8-bit byte in a header (a {@code Subject:} in UTF-8 or
 * Latin-1 from a client that does not use RFC 2047) became {@code ?} before the message was
 * queued or stored. JavaMail read those bytes one char per byte (ISO-8859-1), so writing every
 * char up to U+00FF as that one byte gives back exactly the bytes that were received, as Postfix
 * and Dovecot keep them. A char above U+00FF can only come from code that set a header with
 * unencoded text; it is written as UTF-8 (RFC 6532) rather than lost.</p>
 *
 * <p>The public API is that of the class it replaces.</p>
 */
public class InternetHeadersInputStream extends InputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    private final Enumeration<String> headerLines;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    public InternetHeadersInputStream(InternetHeaders headers) {
        this(headers.getAllHeaderLines());
    }

    public InternetHeadersInputStream(Enumeration<String> headerLines) {
        this.headerLines = headerLines;
    }

    @Override
    public int read() {
        if (!ensureBytes()) {
            return -1;
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!ensureBytes()) {
            return -1;
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public void close() {
        ended = true;
        current = new byte[0];
        position = 0;
    }

    private boolean ensureBytes() {
        while (position == current.length) {
            if (ended || !headerLines.hasMoreElements()) {
                ended = true;
                return false;
            }
            String line = headerLines.nextElement();
            current = encode(line, !headerLines.hasMoreElements());
            position = 0;
        }
        return true;
    }

    static byte[] encode(String line, boolean last) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(line.length() + 4);
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            if (codePoint <= 0xff) {
                bytes.write(codePoint);
            } else {
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(codePoint);
        }
        bytes.writeBytes(CRLF);
        if (last) {
            bytes.writeBytes(CRLF);
        }
        return bytes.toByteArray();
    }
}
