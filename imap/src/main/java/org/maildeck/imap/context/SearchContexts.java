package org.maildeck.imap.context;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MessageUid;

/**
 * A session's searches and sorts with RETURN (UPDATE) (RFC 5267 §4.3): each one's tag, its search
 * keys, whether it numbers by UID, its order, and its result as the client knows it, in UIDs in
 * the result's order. They belong to the
 * selected mailbox: selecting another, or none, ends them all (§4.3: updates stop when the
 * mailbox is deselected; selecting it again is a deselection too, {@link #endAll}). At most {@link #LIMIT} per session, as Dovecot bounds them; one more
 * is answered without updates and {@code * NO [NOUPDATE "tag"]}.
 */
public final class SearchContexts {

    static final int LIMIT = 16;
    private static final String ATTRIBUTE = "maildeck.imap.searchContexts";
    private static final HumanReadableText DUPLICATE_TAG = new HumanReadableText("org.maildeck.imap.CONTEXT_DUPLICATE",
        "An updating search with this tag is already active");

    /** One context: the result is changed only through this class, under its lock. */
    public static final class Context {
        final Tag tag;
        final boolean useUids;
        final SearchKey key;
        final ResultOrder order;
        private final List<MessageUid> result;

        /** {@code result}: the messages found, in {@code order}. */
        public Context(Tag tag, boolean useUids, SearchKey key, ResultOrder order, List<MessageUid> result) {
            this.tag = tag;
            this.useUids = useUids;
            this.key = key;
            this.order = order;
            this.result = new ArrayList<>(result);
        }
    }

    /** A run of messages of a result, and where in it they go or were (RFC 5267 §4.3's context-position; 0 in mailbox order). */
    record Run(long position, List<MessageUid> uids) {
    }

    /**
     * An updating search or sort under the tag of one the session has alive is BAD (§4.3):
     * answers it so and returns true; false for any other command.
     */
    public static boolean refusedAsDuplicate(ImapRequest request, boolean updates, ImapSession session, Responder responder,
                                             StatusResponseFactory responses) {
        if (!updates || !of(session).map(contexts -> contexts.has(request.getTag())).orElse(false)) {
            return false;
        }
        responder.respond(responses.taggedBad(request.getTag(), request.getCommand(), DUPLICATE_TAG));
        return true;
    }

    /**
     * Keeps {@code context} for updates if the session has a mailbox selected; the
     * {@code * NO [NOUPDATE "tag"]} to send if it has as many as it may.
     */
    public static Optional<ImapResponseMessage> keep(ImapSession session, Context context, StatusResponseFactory responses) {
        SelectedMailbox selected = session.getSelected();
        if (selected == null || ofOrNew(session).start(context, selected)) {
            return Optional.empty();
        }
        return Optional.of(responses.untaggedNo(new HumanReadableText("org.maildeck.imap.NOUPDATE",
            "[NOUPDATE \"" + context.tag.asString() + "\"] Too many updating searches")));
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
     * is being written), now out of the result, with where they were.
     */
    synchronized List<Run> leftTheView(Context context, SelectedMailbox selected) {
        Set<MessageUid> left = new HashSet<>();
        for (MessageUid uid : context.result) {
            if (selected.msn(uid).foldSilent(() -> true, msn -> false)) {
                left.add(uid);
            }
        }
        return removeFrom(context, left);
    }

    /** What changed between the result the client knows and {@code now}; the context then holds {@code now}. */
    synchronized Change replace(Context context, List<MessageUid> now) {
        Set<MessageUid> gone = new HashSet<>(context.result);
        now.forEach(gone::remove);
        List<Run> removed = removeFrom(context, gone);
        Set<MessageUid> had = new HashSet<>(context.result);
        List<Run> added = new ArrayList<>();
        if (!context.order.positioned()) {
            List<MessageUid> joined = now.stream().filter(uid -> !had.contains(uid)).toList();
            if (!joined.isEmpty()) {
                added.add(new Run(0, joined));
            }
        } else {
            // What stayed keeps its order (sort keys do not change), so inserting the runs that
            // joined in the order of their final positions makes the client's list the new one.
            int at = 0;
            while (at < now.size()) {
                if (had.contains(now.get(at))) {
                    at++;
                    continue;
                }
                int start = at;
                while (at < now.size() && !had.contains(now.get(at))) {
                    at++;
                }
                added.add(new Run(start + 1, List.copyOf(now.subList(start, at))));
            }
        }
        context.result.clear();
        context.result.addAll(now);
        return new Change(removed, added);
    }

    /**
     * Takes {@code gone} out of the context's result: one run at position 0 in mailbox order; in
     * a sorted result, runs with their positions, each counted after the runs before it left.
     */
    private static List<Run> removeFrom(Context context, Set<MessageUid> gone) {
        if (gone.isEmpty()) {
            return List.of();
        }
        List<Run> removed = new ArrayList<>();
        if (!context.order.positioned()) {
            removed.add(new Run(0, context.result.stream().filter(gone::contains).sorted().toList()));
            context.result.removeIf(gone::contains);
            return removed;
        }
        int at = 0;
        while (at < context.result.size()) {
            if (!gone.contains(context.result.get(at))) {
                at++;
                continue;
            }
            int end = at;
            while (end < context.result.size() && gone.contains(context.result.get(end))) {
                end++;
            }
            List<MessageUid> run = context.result.subList(at, end);
            removed.add(new Run(at + 1, List.copyOf(run)));
            run.clear();
        }
        return removed;
    }

    record Change(List<Run> removed, List<Run> added) {
        boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty();
        }
    }

    /**
     * Numbers in the order given, as ranges only where they run upwards by one: a sorted
     * result's (RFC 5267 §3.2's ALL), and a sequence-set of numbers in mailbox order.
     */
    public static IdRange[] inOrder(List<Long> numbers) {
        List<IdRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < numbers.size()) {
            int end = i;
            while (end + 1 < numbers.size() && numbers.get(end + 1) == numbers.get(end) + 1) {
                end++;
            }
            ranges.add(new IdRange(numbers.get(i), numbers.get(end)));
            i = end + 1;
        }
        return ranges.toArray(IdRange[]::new);
    }
}
