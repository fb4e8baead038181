package org.maildeck.imap.sort;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link SortFields} of a folder's messages, so that SORT and THREAD read each message's
 * header once, not on every command (Dovecot keeps the same fields in
 * {@code dovecot.index.cache}). Filled lazily: a command asks for the messages it found; those
 * not known yet have their headers read through the mailbox, and the folder's
 * {@link SortFieldsFile} is written again, without the entries of messages expunged since. The
 * entries are keyed by UID and checked against the folder's UIDVALIDITY, which is all the
 * validation a Maildir folder needs: a message's header never changes under its UID.
 *
 * <p>The last few folders' fields stay in memory too, so a warm SORT reads no file.
 */
@Singleton
public class SortFieldCache {

    private static final Logger LOGGER = LoggerFactory.getLogger(SortFieldCache.class);
    /** Folders whose fields stay in memory (about 300 bytes a message). */
    private static final int FOLDERS_IN_MEMORY = 4;

    private final MaildirStore store;
    private final Map<Path, Known> inMemory = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Known> eldest) {
            return size() > FOLDERS_IN_MEMORY;
        }
    };

    /** What is known of one folder. */
    private record Known(long uidValidity, Map<Long, SortFields> byUid) {
    }

    @Inject
    public SortFieldCache(MaildirStore store) {
        this.store = store;
    }

    /** The fields of {@code uids} of the mailbox, by UID; a message gone meanwhile gets {@link SortFields#unknown}. */
    Mono<Map<Long, SortFields>> fieldsOf(MessageManager mailbox, MailboxSession session, Collection<MessageUid> uids) {
        return Mono.fromCallable(() -> folderOf(mailbox))
            .flatMap(folder -> Mono.fromCallable(() -> known(folder))
                .flatMap(known -> {
                    List<MessageUid> missing = uids.stream().filter(uid -> !known.byUid().containsKey(uid.asLong())).sorted().toList();
                    if (missing.isEmpty()) {
                        return Mono.just(selected(known, uids));
                    }
                    return Flux.fromIterable(MessageRange.toRanges(missing))
                        .concatMap(range -> mailbox.getMessagesReactive(range, FetchGroup.HEADERS, session))
                        .map(SortFieldCache::fieldsOf)
                        .collectList()
                        .map(read -> {
                            read.forEach(fields -> known.byUid().put(fields.uid(), fields));
                            save(folder, known);
                            return selected(known, uids);
                        });
                }));
    }

    private MaildirFolder folderOf(MessageManager mailbox) throws MailboxException {
        Mailbox entity = mailbox.getMailboxEntity();
        return store.folder(entity.getUser().asString(), entity.getName());
    }

    private Known known(MaildirFolder folder) throws IOException {
        long uidValidity = folder.uidValidity();
        Path directory = folder.directory();
        synchronized (inMemory) {
            Known known = inMemory.get(directory);
            if (known != null && known.uidValidity() == uidValidity) {
                return known;
            }
        }
        Map<Long, SortFields> byUid = new ConcurrentHashMap<>();
        SortFieldsFile.read(directory)
            .filter(content -> content.uidValidity() == uidValidity)
            .ifPresent(content -> content.fields().forEach(fields -> byUid.put(fields.uid(), fields)));
        Known read = new Known(uidValidity, byUid);
        synchronized (inMemory) {
            inMemory.put(directory, read);
        }
        return read;
    }

    private static Map<Long, SortFields> selected(Known known, Collection<MessageUid> uids) {
        Map<Long, SortFields> selected = new HashMap<>(uids.size() * 2);
        for (MessageUid uid : uids) {
            selected.put(uid.asLong(), known.byUid().getOrDefault(uid.asLong(), SortFields.unknown(uid.asLong())));
        }
        return selected;
    }

    /** Writes the folder's file with the entries of the messages it still has; a failure only costs a later refill. */
    private void save(MaildirFolder folder, Known known) {
        try {
            Set<Long> present = folder.entries(1, Long.MAX_VALUE).stream().map(IndexEntry::uid).collect(Collectors.toSet());
            for (Iterator<Long> uid = known.byUid().keySet().iterator(); uid.hasNext(); ) {
                if (!present.contains(uid.next())) {
                    uid.remove();
                }
            }
            List<SortFields> kept = new ArrayList<>(known.byUid().values());
            kept.sort(Comparator.comparingLong(SortFields::uid));
            SortFieldsFile.write(folder.directory(), new SortFieldsFile.Content(known.uidValidity(), kept), store.durability());
        } catch (IOException | RuntimeException failed) {
            LOGGER.warn("sort fields of {} not saved: {}", folder.directory(), failed.toString());
        }
    }

    private static SortFields fieldsOf(MessageResult message) {
        try {
            List<SortFields.Field> header = new ArrayList<>();
            for (Iterator<Header> fields = message.getHeaders().headers(); fields.hasNext(); ) {
                Header field = fields.next();
                header.add(new SortFields.Field(field.getName(), field.getValue()));
            }
            return SortFields.of(message.getUid().asLong(), message.getInternalDate().getTime(), message.getSize(), header);
        } catch (MailboxException unreadable) {
            LOGGER.warn("header of message {} unreadable for SORT: {}", message.getUid(), unreadable.toString());
            return SortFields.of(message.getUid().asLong(), message.getInternalDate().getTime(), message.getSize(), List.of());
        }
    }
}
