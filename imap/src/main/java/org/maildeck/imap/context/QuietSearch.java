package org.maildeck.imap.context;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

import javax.inject.Inject;

import org.apache.james.imap.api.message.request.SearchOperation;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.response.SearchResponse;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MessageUid;

import reactor.core.publisher.Mono;

/**
 * A context's search run again, for its UIDs only, by James's SEARCH (the processor bound for
 * SEARCH, so the same keys find the same messages), without a trace in the session: the
 * session's view of its folder is shown to the search as one without news, so that the search
 * neither sends nor consumes the EXISTS, EXPUNGE and FLAGS updates due to the client (they stay
 * for the command's own responses), and its responses are dropped. Only UIDs in the session's
 * view count: a message the client has not been told of is no part of its result yet.
 */
public class QuietSearch {

    /** What a view without news answers; everything else is the session's view. */
    private static final Set<String> NO_NEWS_FALSE = Set.of("isSizeChanged", "isRecentUidRemoved", "hasNewApplicableFlags");
    private static final Set<String> NO_NEWS_EMPTY = Set.of("expungedUids", "flagUpdateUids");
    private static final Set<String> NO_NEWS_NOTHING = Set.of("resetEvents", "resetExpungedUids", "resetRecentUidRemoved",
        "resetNewApplicableFlags");

    private final SearchProcessor search;

    @Inject
    public QuietSearch(SearchProcessor search) {
        this.search = search;
    }

    Mono<SortedSet<MessageUid>> resultNow(SearchContexts.Context context, ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (selected == null) {
            return Mono.just(new TreeSet<>());
        }
        List<ImapResponseMessage> responses = new ArrayList<>();
        Responder collect = new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                responses.add(message);
            }

            @Override
            public void flush() {
            }
        };
        SearchRequest again = new SearchRequest(new SearchOperation(context.key, new ArrayList<>()), true, context.tag);
        return search.processReactive(again, collect, withoutNews(session, selected))
            .then(Mono.fromCallable(() -> {
                SortedSet<MessageUid> found = new TreeSet<>();
                responses.stream().filter(SearchResponse.class::isInstance).map(SearchResponse.class::cast).findFirst()
                    .ifPresent(response -> response.getIds().forEach(uid -> found.add(MessageUid.of(uid))));
                found.removeIf(uid -> selected.msn(uid).asInt().isEmpty());
                return found;
            }));
    }

    private static ImapSession withoutNews(ImapSession session, SelectedMailbox selected) {
        SelectedMailbox quiet = proxy(SelectedMailbox.class, selected, method -> {
            if (NO_NEWS_FALSE.contains(method)) {
                return false;
            }
            if (NO_NEWS_EMPTY.contains(method)) {
                return List.of();
            }
            return NO_NEWS_NOTHING.contains(method) ? null : ASK_DELEGATE;
        });
        return proxy(ImapSession.class, session, method -> "getSelected".equals(method) ? quiet : ASK_DELEGATE);
    }

    private static final Object ASK_DELEGATE = new Object();

    /** {@code delegate}, except for the methods {@code answer} answers itself (by name; null for a void one). */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T delegate, Function<String, Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object answered = answer.apply(method.getName());
            if (answered != ASK_DELEGATE) {
                return answered;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
