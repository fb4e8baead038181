package org.maildeck.assembly.mailbox.search;

import static org.apache.james.mailbox.store.mail.AbstractMessageMapper.UNLIMITED;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.ConjunctionCriterion;
import org.apache.james.mailbox.model.SearchQuery.Criterion;
import org.apache.james.mailbox.model.SearchQuery.UidCriterion;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.MailboxMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.james.util.ReactorUtils;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * IMAP SEARCH by reading the folder's messages and matching each against the whole query, as
 * James's {@link SimpleMessageSearchIndex} does, with two of its defects mended (RFC 9051
 * §6.4.4):
 * <ul>
 * <li>James reads only the messages of the first UID set it finds anywhere in the query, even
 * under a NOT or an OR: {@code NOT 2,4} read messages 2 and 4 only and then found nothing, and
 * {@code OR 1 UID u2} read message 1 only. A UID set narrows the messages read only where every
 * match must be inside it: at the top of the query or inside an AND, never under NOT or OR.</li>
 * <li>SENTBEFORE, SENTON and SENTSINCE compared the Date: header turned into UTC: the day as
 * written counts ({@link SentDateAsWritten}).</li>
 * <li>A message expunged by another session while the search read it failed the SEARCH or logged
 * an ERROR: it is left out ({@link GoneMessagesUnmatched}).</li>
 * </ul>
 * Upstream: no corresponding James change found; {@code findConjugatedUidCriterion} is unchanged
 * on apache/james-project's master (checked 2026-12).
 */
public class FolderScanSearchIndex extends SimpleMessageSearchIndex {

    private final MessageMapperFactory messageMappers;
    private final MailboxMapperFactory mailboxMappers;
    private final TextExtractor textExtractor;
    private final AttachmentContentLoader attachments;

    @Inject
    public FolderScanSearchIndex(MessageMapperFactory messageMappers, MailboxMapperFactory mailboxMappers,
                                 TextExtractor textExtractor, AttachmentContentLoader attachments) {
        super(messageMappers, mailboxMappers, textExtractor, attachments);
        this.messageMappers = messageMappers;
        this.mailboxMappers = mailboxMappers;
        this.textExtractor = textExtractor;
        this.attachments = attachments;
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) {
        return matches(session, Flux.just(mailbox), query)
            .filter(match -> match.getMailboxId().equals(mailbox.getMailboxId()))
            .map(SearchResult::getMessageUid);
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query, long limit) throws MailboxException {
        MailboxMapper folders = mailboxMappers.getMailboxMapper(session);
        Flux<Mailbox> mailboxes = Flux.fromIterable(mailboxIds).concatMap(folders::findMailboxById);
        return matches(session, mailboxes, query)
            .flatMap(match -> Mono.justOrEmpty(match.getMessageId()))
            .distinct()
            .take(limit);
    }

    private Flux<SearchResult> matches(MailboxSession session, Flux<Mailbox> mailboxes, SearchQuery query) {
        return mailboxes.concatMap(mailbox -> Mono.fromCallable(() -> candidates(session, mailbox, query)))
            .flatMapIterable(candidates -> candidates)
            .collectList()
            .flatMapIterable(candidates -> new GoneMessagesUnmatched(candidates.iterator(), query, textExtractor, attachments, session))
            .subscribeOn(ReactorUtils.BLOCKING_CALL_WRAPPER);
    }

    /** The messages that can match: those of the narrowing UID set if the query has one, else all. */
    private SortedSet<MailboxMessage> candidates(MailboxSession session, Mailbox mailbox, SearchQuery query) throws MailboxException {
        MessageMapper mapper = messageMappers.getMessageMapper(session);
        List<MessageRange> ranges = narrowingUids(query.getCriteria())
            .map(FolderScanSearchIndex::ranges)
            .orElse(List.of(MessageRange.all()));
        SortedSet<MailboxMessage> candidates = new TreeSet<>(); // UID sets may overlap
        for (MessageRange range : ranges) {
            // the Maildir mapper reads headers and bodies lazily, whatever the fetch type
            Iterator<MailboxMessage> messages = mapper.findInMailbox(mailbox, range, FetchType.FULL, UNLIMITED);
            messages.forEachRemaining(candidates::add);
        }
        return candidates;
    }

    /** A UID set that every match must be in: one ANDed with the rest of the query. */
    private static Optional<UidCriterion> narrowingUids(List<Criterion> anded) {
        for (Criterion criterion : anded) {
            if (criterion instanceof UidCriterion uids) {
                return Optional.of(uids);
            }
            if (criterion instanceof ConjunctionCriterion conjunction
                && conjunction.getType() == SearchQuery.Conjunction.AND) {
                Optional<UidCriterion> inside = narrowingUids(conjunction.getCriteria());
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    private static List<MessageRange> ranges(UidCriterion uids) {
        List<MessageRange> ranges = new ArrayList<>();
        for (SearchQuery.UidRange range : uids.getOperator().getRange()) {
            ranges.add(MessageRange.range(range.getLowValue(), range.getHighValue()));
        }
        return ranges;
    }
}
