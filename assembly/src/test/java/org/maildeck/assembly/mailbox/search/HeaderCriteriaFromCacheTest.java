package org.maildeck.assembly.mailbox.search;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.AddressType;
import org.apache.james.mailbox.model.SearchQuery.Criterion;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.search.MessageSearches;
import org.apache.james.mailbox.store.search.MessageSearchIndex.SearchResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirStore;
import org.maildeck.maildir.james.MaildirMailboxId;
import org.maildeck.maildir.james.MaildirMailboxSessionMapperFactory;
import org.maildeck.maildir.james.MaildirMailboxes;

/**
 * SEARCH on the header fields from the folder's cache: the same messages as James's own matching
 * of the message files, and no file read for a message searched before.
 */
class HeaderCriteriaFromCacheTest {

    private static final Username ALICE = Username.of("alice@example.com");
    private static final long UIDVALIDITY = 1795243169L;
    private static final List<String> MESSAGES = List.of(
        "From: \"Ann Example\" <ann@example.org>\r\nTo: bob@example.com\r\nSubject: =?UTF-8?Q?caf=C3=A9?= menu\r\n"
            + "Date: Sat, 24 Mar 2007 23:00:00 -0700\r\n\r\nbody\r\n",
        "From: sender3 <sender3@bench.test>\r\nCc: team: carol@example.net, dave@example.net;\r\nSubject: one\r\n"
            + "Subject: second\r\nBcc: eve@example.com\r\n\r\nbody\r\n",
        "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>\r\nTo: \"Bob\" <bob@example.com>,\r\n \"Zed\" <zed@example.com>\r\n"
            + "X-Tag: blue\r\n\r\nbody\r\n",
        "From: a garbled <<address\r\n\r\nno subject\r\n",
        "From: first@example.com\r\nFrom: sender3@bench.test\r\nSUBJECT: Second thoughts\r\n\r\nbody\r\n");

    @TempDir
    Path root;

    private MaildirFolder folder;
    private MaildirMailboxSessionMapperFactory mappers;
    private Mailbox inbox;

    @BeforeEach
    void deliverMessages() throws IOException {
        MaildirStore store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        store.create(ALICE.asString(), "INBOX", UIDVALIDITY);
        folder = store.folder(ALICE.asString(), "INBOX");
        for (String message : MESSAGES) {
            folder.deliver(new ByteArrayInputStream(message.getBytes(UTF_8)), new Flags(),
                Date.from(Instant.parse("2020-01-02T03:04:05Z")), Optional.empty());
        }
        mappers = new MaildirMailboxSessionMapperFactory(new MaildirMailboxes(store), new DefaultMessageId.Factory(), null, null);
        inbox = new Mailbox(MailboxPath.inbox(ALICE), UidValidity.of(UIDVALIDITY), new MaildirMailboxId("guid", ALICE));
    }

    private static MailboxSession session() {
        return new MailboxSession(MailboxSession.SessionId.of(1), ALICE, Optional.of(ALICE), List.of(Locale.ROOT), '.',
            MailboxSession.SessionType.System);
    }

    private List<MailboxMessage> messages() throws MailboxException {
        List<MailboxMessage> messages = new ArrayList<>();
        mappers.createMessageMapper(session()).findInMailbox(inbox, MessageRange.all(), FetchType.FULL, -1)
            .forEachRemaining(messages::add);
        return messages;
    }

    private static List<Long> uids(Iterator<SearchResult> results) {
        List<Long> uids = new ArrayList<>();
        results.forEachRemaining(result -> uids.add(result.getMessageUid().asLong()));
        return uids;
    }

    /** What Maildeck's SEARCH finds. */
    private static List<Long> searched(List<MailboxMessage> messages, Criterion criterion) {
        return uids(new GoneMessagesUnmatched(messages.iterator(), SearchQuery.of(criterion), null, null, session()).iterator());
    }

    /** What James 3.8.1's matching, reading every message's header, finds. */
    private static List<Long> jamesFinds(List<MailboxMessage> messages, Criterion criterion) {
        return uids(new MessageSearches(messages.iterator(), SearchQuery.of(criterion), null, null, session()).iterator());
    }

    private void assertSameAsJames(Criterion criterion, Long... expected) throws MailboxException {
        List<MailboxMessage> messages = messages();
        List<Long> james = jamesFinds(messages, criterion);
        searched(messages, criterion); // fills the cache
        assertThat(searched(messages(), criterion)).as(criterion.toString()).isEqualTo(james).containsExactly(expected);
    }

    @Test
    void addressCriteriaMatchTheFirstFieldsAddressesAsJamesDoes() throws MailboxException {
        assertSameAsJames(SearchQuery.address(AddressType.From, "sender3"), 2L);
        assertSameAsJames(SearchQuery.address(AddressType.From, "ann example"), 1L);
        assertSameAsJames(SearchQuery.address(AddressType.From, "andré"), 3L);
        assertSameAsJames(SearchQuery.address(AddressType.From, "<<address"), 4L);
        assertSameAsJames(SearchQuery.address(AddressType.To, "ZED@"), 3L);
        assertSameAsJames(SearchQuery.address(AddressType.Cc, "dave"), 2L);
        assertSameAsJames(SearchQuery.address(AddressType.Bcc, "eve@example.com"), 2L);
    }

    @Test
    void subjectMatchesAnyOccurrenceDecodedAsJamesDoes() throws MailboxException {
        assertSameAsJames(SearchQuery.headerContains("Subject", "CAFÉ"), 1L);
        assertSameAsJames(SearchQuery.headerContains("Subject", "second"), 2L, 5L);
        assertSameAsJames(SearchQuery.subject("menu"), 1L);
    }

    @Test
    void anEmptyHeaderStringMatchesTheMessagesThatHaveTheField() throws MailboxException {
        assertSameAsJames(SearchQuery.headerExists("subject"), 1L, 2L, 5L);
        assertSameAsJames(SearchQuery.headerExists("Bcc"), 2L);
    }

    @Test
    void fieldsNotKeptAreMatchedAsJamesDoes() throws MailboxException {
        assertSameAsJames(SearchQuery.headerContains("X-Tag", "blu"), 3L);
    }

    @Test
    void sentOnComparesTheDayAsWrittenFromTheKeptDate() throws MailboxException {
        Date march24 = Date.from(Instant.parse("2007-03-24T00:00:00Z"));
        List<MailboxMessage> messages = messages();
        searched(messages, SearchQuery.headerExists("date"));

        assertThat(searched(messages, SearchQuery.headerDateOn("Date", march24, SearchQuery.DateResolution.Day))).containsExactly(1L);
    }

    @Test
    void aSecondSearchOfTheSameMessagesReadsNoMessageFile() throws IOException, MailboxException {
        List<MailboxMessage> messages = messages();
        Criterion fromSender3 = SearchQuery.address(AddressType.From, "sender3");
        searched(messages, fromSender3);
        try (Stream<Path> files = Files.list(folder.directory().resolve("new"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }

        assertThat(searched(messages, fromSender3)).containsExactly(2L);
    }
}
