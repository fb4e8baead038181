package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MessageUid;

/**
 * A session's searches with RETURN (UPDATE) (RFC 5267 §4.3): each one's tag, its search keys,
 * whether it numbers by UID, and its result as the client knows it, in UIDs. They belong to the
 * selected mailbox: selecting another, or none, ends them all (§4.3: updates stop when the
 * mailbox is deselected; selecting it again is a deselection too, {@link #endAll}). At most {@link #LIMIT} per session, as Dovecot bounds them; one more
 * is answered without updates and {@code * NO [NOUPDATE "tag"]}.
 */
final class SearchContexts {

    static final int LIMIT = 16;
    private static final String ATTRIBUTE = "maildeck.imap.searchContexts";

    /** One context: the result is changed only through this class, under its lock. */
    static final class Context {
        final Tag tag;
        final boolean useUids;
        final SearchKey key;
        private final SortedSet<MessageUid> result;

        Context(Tag tag, boolean useUids, SearchKey key, Collection<MessageUid> result) {
            this.tag = tag;
            this.useUids = useUids;
            this.key = key;
            this.result = new TreeSet<>(result);
        }
    }

    private final Map<Tag, Context> contexts = new LinkedHashMap<>();
    /** The session's view of the mailbox they were made in (James keeps it when the same mailbox is selected again). */
    private SelectedMailbox view;

    /** The session's contexts, none if it has never had one. */
    static Optional<SearchContexts> of(ImapSession session) {
        return Optional.ofNullable((SearchContexts) session.getAttribute(ATTRIBUTE));
    }

    static SearchContexts ofOrNew(ImapSession session) {
        return of(session).orElseGet(() -> {
            SearchContexts created = new SearchContexts();
            session.setAttribute(ATTRIBUTE, created);
            return created;
        });
    }

    synchronized boolean has(Tag tag) {
        return contexts.containsKey(tag);
    }

    /** Starts a context on the selected mailbox; false if the session has as many as it may. */
    synchronized boolean start(Context context, SelectedMailbox selected) {
        if (selected != view) {
            contexts.clear();
            view = selected;
        }
        if (contexts.size() >= LIMIT) {
            return false;
        }
        contexts.put(context.tag, context);
        return true;
    }

    /** SELECT, EXAMINE, CLOSE or UNSELECT: the mailbox is deselected, even when the same one is selected again. */
    synchronized void endAll() {
        contexts.clear();
    }

    synchronized boolean cancel(Tag tag) {
        return contexts.remove(tag) != null;
    }

    /** The contexts still alive in the session's selected mailbox (those of another mailbox end here). */
    synchronized List<Context> alive(ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (selected == null || selected != view) {
            contexts.clear();
            return List.of();
        }
        return new ArrayList<>(contexts.values());
    }

    /**
     * The messages of {@code context}'s result that have left the session's view (their EXPUNGE
     * is being written), now out of the result.
     */
    synchronized List<MessageUid> leftTheView(Context context, SelectedMailbox selected) {
        List<MessageUid> gone = new ArrayList<>();
        context.result.removeIf(uid -> {
            boolean left = selected.msn(uid).foldSilent(() -> true, msn -> false);
            if (left) {
                gone.add(uid);
            }
            return left;
        });
        return gone;
    }

    /** What changed between the result the client knows and {@code now}; the context then holds {@code now}. */
    synchronized Change replace(Context context, SortedSet<MessageUid> now) {
        SortedSet<MessageUid> removed = new TreeSet<>(context.result);
        removed.removeAll(now);
        SortedSet<MessageUid> added = new TreeSet<>(now);
        added.removeAll(context.result);
        context.result.clear();
        context.result.addAll(now);
        return new Change(removed, added);
    }

    record Change(SortedSet<MessageUid> removed, SortedSet<MessageUid> added) {
        boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty();
        }
    }

    /** Numbers as a sequence-set, runs as ranges. */
    static IdRange[] sequenceSet(Collection<Long> numbers) {
        List<IdRange> ranges = new ArrayList<>();
        numbers.stream().sorted().forEach(number -> ranges.add(new IdRange(number)));
        return IdRange.mergeRanges(ranges).toArray(IdRange[]::new);
    }
}
