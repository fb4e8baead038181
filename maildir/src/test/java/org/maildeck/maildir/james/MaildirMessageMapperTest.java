package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMailboxMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.MaildirStore;

import reactor.core.publisher.Mono;

/** Which thread stores a message that James's append hands to the mapper. */
class MaildirMessageMapperTest {

    private static final Username ALICE = Username.of("alice@example.com");
    private static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n";

    @TempDir
    Path root;

    private MaildirMailboxes mailboxes;
    private Mailbox inbox;
    private final AtomicReference<Thread> readBy = new AtomicReference<>();

    @BeforeEach
    void createInbox() throws Exception {
        MaildirStore store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        store.create(ALICE.asString(), "INBOX", 1795243169L);
        mailboxes = new MaildirMailboxes(store);
        inbox = new Mailbox(MailboxPath.inbox(ALICE), UidValidity.of(1795243169L), new MaildirMailboxId("guid", ALICE));
    }

    private MaildirMessageMapper mapper(MailboxSession session) {
        return new MaildirMessageMapper(mailboxes, session, new DefaultMessageId.Factory());
    }

    private static MailboxSession session() {
        return new MailboxSession(MailboxSession.SessionId.of(1), ALICE, Optional.of(ALICE), List.of(Locale.ROOT), '.',
            MailboxSession.SessionType.System);
    }

    /** A message whose content notes the thread that reads it to store it. */
    private MailboxMessage message() {
        MessageId id = new DefaultMessageId.Factory().generate();
        Content content = new Content() {
            @Override
            public InputStream getInputStream() {
                readBy.set(Thread.currentThread());
                return new ByteArrayInputStream(MESSAGE.getBytes(UTF_8));
            }

            @Override
            public long size() {
                return MESSAGE.length();
            }
        };
        return SimpleMailboxMessage.builder()
            .messageId(id)
            .threadId(ThreadId.fromBaseMessageId(id))
            .internalDate(new Date())
            .size(MESSAGE.length())
            .bodyStartOctet(MESSAGE.indexOf("\r\n\r\n") + 4)
            .content(content)
            .flags(new Flags())
            .properties(new PropertyBuilder())
            .mailboxId(inbox.getMailboxId())
            .build();
    }

    @Test
    void aDeliveryIsStoredByTheThreadThatAsksForIt() {
        MailboxSession session = session();
        DeliveryKey.attach(session, "Mail1 alice@example.com INBOX c01234567.21");

        Mono.from(mapper(session).addReactive(inbox, message())).block();

        assertThat(readBy.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void anyOtherSaveIsHandedToJamesBlockingCallPool() {
        Mono.from(mapper(session()).addReactive(inbox, message())).block();

        assertThat(readBy.get()).isNotSameAs(Thread.currentThread());
        assertThat(readBy.get().getName()).startsWith("blocking-call-wrapper");
    }

    @Test
    void flagsForOtherSessionsChangesAreReadFromTheIndexWithoutASync() throws Exception {
        Mono.from(mapper(session()).addReactive(inbox, message())).block();
        mapper(session()).listMessagesMetadata(inbox, MessageRange.all()).collectList().block(); // the index as synced
        Path cur = root.resolve("example.com/alice/Maildir/cur");
        Path newDir = root.resolve("example.com/alice/Maildir/new");
        try (Stream<Path> files = Files.list(newDir)) {
            Path file = files.findFirst().orElseThrow();
            Files.move(file, cur.resolve(file.getFileName() + ":2,S")); // another program marks it \Seen
        }

        List<ComposedMessageIdWithMetaData> asIndexed = mapper(session()).metadataAsIndexed(inbox, MessageRange.all()).collectList().block();
        List<ComposedMessageIdWithMetaData> synced = mapper(session()).listMessagesMetadata(inbox, MessageRange.all()).collectList().block();

        assertThat(asIndexed.get(0).getFlags().contains(Flags.Flag.SEEN)).isFalse();
        assertThat(synced.get(0).getFlags().contains(Flags.Flag.SEEN)).isTrue();
    }
}
