package org.maildeck.imap;

import java.io.IOException;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.message.response.ImmutableStatusResponse;

/**
 * Writes the response codes that James 3.8.1 cannot write as their RFCs define them; everything
 * else goes to James's encoder unchanged.
 * <ul>
 * <li>CONDSTORE's {@code [MODIFIED <set>]} (RFC 7162): James gives that code the number 0, which
 * its encoder prints ({@code [MODIFIED 0 2]}), and clients then read 0 as part of the set.</li>
 * <li>{@code [EXPUNGEISSUED]} (RFC 9051 §7.1): James has no such code, and the only way to make
 * one, {@code ResponseCode.createExtension}, prefixes an X.</li>
 * <li>{@code [UNKNOWN-CTE]} (RFC 3516 §4.3), made the same way by BINARY's FETCH.</li>
 * </ul>
 */
public final class RfcResponseCodeEncoder implements ImapEncoder {

    private static final String MODIFIED = "MODIFIED";
    /** What {@code ResponseCode.createExtension("EXPUNGEISSUED")} makes. */
    static final String EXPUNGE_ISSUED_AS_JAMES_NAMES_IT = "XEXPUNGEISSUED";
    private static final String UNKNOWN_CTE_AS_JAMES_NAMES_IT = "XUNKNOWN-CTE";

    private final ImapEncoder james;

    public RfcResponseCodeEncoder(ImapEncoder james) {
        this.james = james;
    }

    @Override
    public void encode(ImapMessage message, ImapResponseComposer composer) throws IOException {
        if (message instanceof ImmutableStatusResponse response && response.getResponseCode() != null
                && MODIFIED.equals(response.getResponseCode().getCode())) {
            encodeWithCode(response, composer, MODIFIED);
        } else if (message instanceof ImmutableStatusResponse response && response.getResponseCode() != null
                && EXPUNGE_ISSUED_AS_JAMES_NAMES_IT.equals(response.getResponseCode().getCode())) {
            encodeWithCode(response, composer, "EXPUNGEISSUED");
        } else if (message instanceof ImmutableStatusResponse response && response.getResponseCode() != null
                && UNKNOWN_CTE_AS_JAMES_NAMES_IT.equals(response.getResponseCode().getCode())) {
            encodeWithCode(response, composer, "UNKNOWN-CTE");
        } else {
            james.encode(message, composer);
        }
    }

    private static void encodeWithCode(ImmutableStatusResponse response, ImapResponseComposer composer, String code) throws IOException {
        if (response.getTag() == null) {
            composer.untagged();
        } else {
            composer.tag(response.getTag());
        }
        composer.message(response.getServerResponseType().getCode());
        composer.openSquareBracket();
        composer.message(code);
        for (String set : response.getResponseCode().getParameters()) {
            composer.message(set);
        }
        composer.closeSquareBracket();
        if (response.getCommand() != null) {
            composer.commandName(response.getCommand());
        }
        String text = response.getTextKey() == null ? null : response.getTextKey().getDefaultValue();
        if (text != null && !text.isEmpty()) {
            composer.message(text);
        }
        composer.end();
    }
}
