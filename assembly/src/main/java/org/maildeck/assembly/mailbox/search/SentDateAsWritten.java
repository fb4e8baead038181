package org.maildeck.assembly.mailbox.search;

import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.DateOperator;
import org.apache.james.mailbox.model.SearchQuery.DateResolution;
import org.apache.james.mailbox.model.SearchQuery.HeaderCriterion;
import org.apache.james.mailbox.store.ResultUtils;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mime4j.dom.datetime.DateTime;
import org.apache.james.mime4j.field.datetime.parser.DateTimeParser;
import org.apache.james.mime4j.field.datetime.parser.ParseException;
import org.apache.james.mime4j.field.datetime.parser.TokenMgrError;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * James's matching of messages against a search query, except for day comparisons with a date
 * header: SENTBEFORE, SENTON and SENTSINCE compare the date "disregarding time and timezone"
 * (RFC 9051 §6.4.4, RFC 3501 §6.4.4), so {@code Date: Sat, 24 Mar 2007 23:00:00 -0700} is sent on
 * 24 March, not on the 25th it is in UTC, as James 3.8.1 has it.
 *
 * <p>Upstream: JAMES-3758 ("MessageSearches should respect zone offset on date-time values",
 * 2022) brought in the conversion to UTC; no later James change undoes it for day comparisons.
 */
class SentDateAsWritten extends HeaderCriteriaFromCache {

    SentDateAsWritten(Iterator<MailboxMessage> messages, SearchQuery query, TextExtractor textExtractor,
                      AttachmentContentLoader attachments, MailboxSession session) {
        super(messages, query, textExtractor, attachments, session);
    }

    @Override
    public boolean isMatch(SearchQuery.Criterion criterion, MailboxMessage message, Collection<MessageUid> recentMessageUids) throws MailboxException {
        if (criterion instanceof HeaderCriterion header && header.getOperator() instanceof DateOperator date
            && date.getDateResultion() == DateResolution.Day) {
            return writtenDay(header.getHeaderName(), message)
                .map(written -> compare(written, date))
                .orElse(false);
        }
        return super.isMatch(criterion, message, recentMessageUids);
    }

    private static boolean compare(LocalDate written, DateOperator operator) {
        // the day the client asked for, which James's DayMonthYear puts in UTC
        LocalDate asked = operator.getDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        return switch (operator.getType()) {
            case BEFORE -> written.isBefore(asked);
            case ON -> written.isEqual(asked);
            case AFTER -> written.isAfter(asked);
        };
    }

    /** The day of the first {@code name} header as written in it, if it parses as an RFC 5322 date. */
    private static Optional<LocalDate> writtenDay(String name, MailboxMessage message) throws MailboxException {
        try {
            Optional<String> value = firstValue(name, message);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            DateTime dateTime = new DateTimeParser(new StringReader(MimeUtil.unscrambleHeaderValue(value.get()))).parseAll();
            return Optional.of(LocalDate.of(dateTime.getYear(), dateTime.getMonth(), dateTime.getDay()));
        } catch (ParseException | TokenMgrError | DateTimeException unparsable) {
            return Optional.empty();
        }
    }

    /** The value of the first {@code name} header: from the folder's cache when it keeps the field. */
    private static Optional<String> firstValue(String name, MailboxMessage message) throws MailboxException {
        Optional<List<String>> kept = keptValues(name, message);
        if (kept.isPresent()) {
            return kept.get().stream().findFirst();
        }
        try {
            for (Header header : ResultUtils.createHeaders(message)) {
                if (name.equalsIgnoreCase(header.getName())) {
                    return Optional.of(header.getValue());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new MailboxException("Unable to read the headers of message " + message.getUid(), e);
        }
    }
}
