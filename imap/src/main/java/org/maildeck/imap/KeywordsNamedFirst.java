package org.maildeck.imap;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.mail.Flags;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.response.FetchResponse;
import org.apache.james.imap.message.response.FlagsResponse;

/**
 * A session's responses with every keyword named in a FLAGS response before a FETCH shows it
 * (RFC 9051 §7.3.5; imaptest counts the contrary as an error).
 *
 * <p>James reads a message's flags from the store when it writes a FETCH, and learns of a new
 * keyword from the event of the STORE that set it, which another session's thread delivers a
 * moment after the store has it. A FETCH written in between showed the keyword to a client that
 * had never been told of it. So this remembers, per session, the keywords of the last FLAGS
 * response sent (SELECT's, James's updates), and sends a new FLAGS response, the folder's
 * applicable flags with the unknown keywords added, before any FETCH whose flags hold one it has
 * not named.
 */
final class KeywordsNamedFirst implements Responder {

    private static final String NAMED_KEYWORDS = "maildeck.imap.namedKeywords";

    private final Responder next;
    private final ImapSession session;

    KeywordsNamedFirst(Responder next, ImapSession session) {
        this.next = next;
        this.session = session;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        if (message instanceof FlagsResponse flags) {
            session.setAttribute(NAMED_KEYWORDS, keywordsOf(flags.getFlags()));
        } else if (message instanceof FetchResponse fetch && fetch.getFlags() != null) {
            nameUnknownKeywords(fetch.getFlags());
        }
        next.respond(message);
    }

    private void nameUnknownKeywords(Flags shown) {
        String[] keywords = shown.getUserFlags();
        if (keywords.length == 0) {
            return;   // most FETCHes: nothing to look up, nothing to allocate
        }
        Set<String> named = named();
        Set<String> unknown = new HashSet<>(List.of(keywords));
        unknown.removeAll(named);
        if (unknown.isEmpty()) {
            return;
        }
        SelectedMailbox selected = session.getSelected();
        Flags applicable = selected == null ? new Flags() : selected.getApplicableFlags();
        for (String keyword : unknown) {
            applicable.add(keyword);
        }
        for (String keyword : named) {
            applicable.add(keyword);
        }
        applicable.remove(Flags.Flag.RECENT);
        FlagsResponse update = new FlagsResponse(applicable);
        session.setAttribute(NAMED_KEYWORDS, keywordsOf(applicable));
        next.respond(update);
    }

    @SuppressWarnings("unchecked")
    private Set<String> named() {
        Object named = session.getAttribute(NAMED_KEYWORDS);
        return named instanceof Set<?> set ? (Set<String>) set : Set.of();
    }

    private static Set<String> keywordsOf(Flags flags) {
        return new HashSet<>(Set.of(flags.getUserFlags()));
    }

    @Override
    public void flush() {
        next.flush();
    }
}
