package org.apache.james.imap.api.display;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.beetstra.jutf7.CharsetProvider;

/**
 * Maildeck's replacement of James 3.8.1's class: IMAP mailbox names in modified UTF-7
 * (RFC 3501 §5.1.3).
 *
 * <p>Why replaced: James decodes with {@code Charset.decode}, which asks for malformed input to
 * be replaced; jutf7's decoder reports it anyway, and {@code Charset.decode} turns that report
 * into a {@code java.lang.Error} that closes the IMAP connection without a reply (a SELECT of
 * {@code "!#$&'+,-.0123456789:;<=>?@^_`|}"} did). Here a name that is not valid modified UTF-7
 * decodes to itself with each {@code &} replaced by U+FFFD, a character the Maildir store refuses
 * in a folder name: the command gets a {@code NO} (as from Dovecot), the session goes on, and a
 * LIST pattern of that kind matches nothing. Upstream answered the same defect with a tagged BAD
 * (apache/james-project pull request 3161, "Return tagged bad upon utf7 errors"), after 3.8.1.
 */
public class ModifiedUtf7 {

    /** What a name that is not valid modified UTF-7 has in place of each {@code &}. */
    private static final char MALFORMED = '\uFFFD';

    private static final Charset X_MODIFIED_UTF_7_CHARSET = new CharsetProvider().charsetForName("X-MODIFIED-UTF-7");

    /**
     * Decodes a modified UTF-7 name; one that is not valid comes back with U+FFFD in place of
     * each {@code &}.
     */
    public static String decodeModifiedUTF7(String input) {
        if (input.indexOf('&') < 0) {
            return input;
        }
        try {
            CharBuffer decoded = X_MODIFIED_UTF_7_CHARSET.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(input.getBytes(StandardCharsets.US_ASCII)));
            return decoded.toString();
        } catch (CharacterCodingException | IllegalStateException e) {
            return input.replace('&', MALFORMED);
        }
    }

    /** Encodes a name in modified UTF-7, as James does. */
    public static String encodeModifiedUTF7(String input) {
        ByteBuffer encode = X_MODIFIED_UTF_7_CHARSET.encode(input);
        return new String(encode.array(), 0, encode.remaining());
    }
}
