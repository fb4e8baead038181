package org.maildeck.imap.binary;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * The content-transfer-decoding of RFC 3516 §4.2: a part's body as the bytes it encodes, read
 * with the encoding its MIME header names (RFC 2045 §6). 7bit, 8bit, binary and no header at
 * all are the identity; base64 and quoted-printable are decoded leniently (whitespace and
 * characters outside the alphabet skipped, as RFC 2045 §6.8 asks of base64 and as Dovecot does);
 * any other encoding is unknown, which §4.3 answers with {@code NO [UNKNOWN-CTE]}.
 */
final class ContentTransferDecoding {

    /** A Content-Transfer-Encoding this server cannot decode. */
    static final class UnknownEncoding extends Exception {
        UnknownEncoding(String encoding) {
            super("Unknown Content-Transfer-Encoding: " + encoding);
        }
    }

    private static final Pattern FIELD = Pattern.compile("(?im)^Content-Transfer-Encoding[ \\t]*:(.*(?:\\r?\\n[ \\t].*)*)");

    private ContentTransferDecoding() {
    }

    /** The encoding that a part's MIME header (as BODY[n.MIME] gives it) names; "" without one. */
    static String encodingOf(byte[] mimeHeader) {
        Matcher field = FIELD.matcher(new String(mimeHeader, ISO_8859_1));
        if (!field.find()) {
            return "";
        }
        String value = field.group(1).replaceAll("\\([^)]*\\)", " ").trim();
        int end = value.indexOf(';');
        return (end < 0 ? value : value.substring(0, end)).trim().toLowerCase(Locale.ROOT);
    }

    static byte[] decode(byte[] encoded, String encoding) throws UnknownEncoding {
        switch (encoding) {
            case "", "7bit", "8bit", "binary":
                return encoded;
            case "base64":
                return readAll(new Base64InputStream(new ByteArrayInputStream(encoded), DecodeMonitor.SILENT));
            case "quoted-printable":
                return readAll(new QuotedPrintableInputStream(new ByteArrayInputStream(encoded), DecodeMonitor.SILENT));
            default:
                throw new UnknownEncoding(encoding);
        }
    }

    private static byte[] readAll(InputStream decoding) {
        try (decoding) {
            return decoding.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("decoding bytes in memory", e);
        }
    }
}
