package org.maildeck.assembly.imap;

import java.io.IOException;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.message.response.ImmutableStatusResponse;

/**
 * Writes CONDSTORE's {@code [MODIFIED <set>]} response code as RFC 7162 defines it. James 3.8.1
 * gives that code the number 0, which its encoder prints ({@code [MODIFIED 0 2]}), and clients
 * then read 0 as part of the set. Everything else goes to James's encoder unchanged.
 */
final class ModifiedResponseCodeEncoder implements ImapEncoder {

    private static final String MODIFIED = "MODIFIED";

    private final ImapEncoder james;

    ModifiedResponseCodeEncoder(ImapEncoder james) {
        this.james = james;
    }

    @Override
    public void encode(ImapMessage message, ImapResponseComposer composer) throws IOException {
        if (message instanceof ImmutableStatusResponse response && response.getResponseCode() != null
                && MODIFIED.equals(response.getResponseCode().getCode())) {
            encodeModified(response, composer);
        } else {
            james.encode(message, composer);
        }
    }

    private static void encodeModified(ImmutableStatusResponse response, ImapResponseComposer composer) throws IOException {
        if (response.getTag() == null) {
            composer.untagged();
        } else {
            composer.tag(response.getTag());
        }
        composer.message(response.getServerResponseType().getCode());
        composer.openSquareBracket();
        composer.message(MODIFIED);
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
