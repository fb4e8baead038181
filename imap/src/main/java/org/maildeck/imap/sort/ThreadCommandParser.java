package org.maildeck.imap.sort;

import java.util.Arrays;
import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;

/** {@code THREAD thread-alg charset search-keys} (RFC 5256 §5); an algorithm not announced is a BAD. */
public final class ThreadCommandParser extends SearchingCommandParser {

    @Inject
    public ThreadCommandParser(StatusResponseFactory responses) {
        super("THREAD", responses);
    }

    @Override
    protected ImapMessage decodeArguments(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        String name = atom(request).toUpperCase(Locale.ROOT);
        ThreadRequest.Algorithm algorithm = Arrays.stream(ThreadRequest.Algorithm.values())
            .filter(known -> known.name().equals(name)).findFirst()
            .orElseThrow(() -> new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unknown threading algorithm " + name));
        return new ThreadRequest(getCommand(), tag, useUids, algorithm, searchCriteria(request, session));
    }
}
