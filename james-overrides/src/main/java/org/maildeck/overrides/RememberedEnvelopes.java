package org.maildeck.overrides;

import org.apache.james.imap.message.response.FetchResponse;
import org.apache.james.mailbox.exception.MailboxException;
import org.maildeck.maildir.james.IdentifiedHeaders;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * The ENVELOPEs built lately, by message, so that a second FETCH of them reads no file and parses
 * no header: building one (opening the file, mime4j's header parse, unfolding, the address
 * parser) was about half of the per-message CPU of a warm {@code FETCH 1:* (ENVELOPE)}
 * (bench/README.md, "Warm IMAP commands"). Dovecot keeps the same in
 * {@code dovecot.index.cache}.
 *
 * <p>Only messages whose header says which message it is ({@link IdentifiedHeaders}: the Maildir
 * store's) are kept; the key never goes stale (see there), so nothing is ever invalidated, and an
 * expunged message's entry simply ages out. In memory, bounded: an envelope takes about 1 KB
 * (a date, a subject, a message id, a few addresses of four strings), so
 * {@value #MESSAGES} of them up to ~10 MiB of heap, filled only by FETCHes of ENVELOPE: a
 * client's whole view of a large folder (a 10,000-message folder fits), not a copy of the store.
 */
public final class RememberedEnvelopes {

    static final int MESSAGES = 10_000;

    // One segment: Guava splits the bound among its segments (four by default, ~2,500 each), so a
    // 10,000-message folder overflowed some of them, and a FETCH going through the folder in order
    // evicted from those what it was about to read again (two passes over 10,000 built 15,045;
    // bench/imap-maildir's full-size second FETCH 1:* (ENVELOPE) of k10 took 0.61-0.83 s against
    // Dovecot's 0.10). A read takes no lock (Guava only notes it in a buffer); a put does.
    private static final Cache<IdentifiedHeaders.Identity, FetchResponse.Envelope> ENVELOPES =
        CacheBuilder.newBuilder().concurrencyLevel(1).maximumSize(MESSAGES).build();

    /** What builds an envelope from the header when it is not known yet. */
    @FunctionalInterface
    public interface Builder {
        FetchResponse.Envelope build() throws MailboxException;
    }

    private RememberedEnvelopes() {
    }

    /** The envelope of {@code message}, built by {@code builder} only the first time. */
    public static FetchResponse.Envelope of(IdentifiedHeaders.Identity message, Builder builder) throws MailboxException {
        FetchResponse.Envelope known = ENVELOPES.getIfPresent(message);
        if (known != null) {
            return known;
        }
        FetchResponse.Envelope built = builder.build();
        ENVELOPES.put(message, built);
        return built;
    }
}
