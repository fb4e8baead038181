package org.maildeck.imap.binary;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import org.apache.james.imap.message.response.FetchResponse;

/**
 * The answer to one BINARY item in a FETCH response: the decoded bytes of {@code BINARY[...]},
 * or only their number for {@code BINARY.SIZE[...]}, which is a number and no literal
 * (RFC 3516 §4.2). {@link Literal8Encoder} writes it.
 */
record DecodedSection(String name, byte[] data, boolean sizeOnly) implements FetchResponse.BodyElement {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public InputStream getInputStream() {
        return new ByteArrayInputStream(data);
    }

    /**
     * Whether the data must go as a literal8, {@code ~{n}} (RFC 3516 §4.2, §6): a literal may
     * hold any octet but NUL, so, as Dovecot, a literal8 only when there is one.
     */
    boolean needsLiteral8() {
        for (byte octet : data) {
            if (octet == 0) {
                return true;
            }
        }
        return false;
    }
}
