package org.maildeck.overrides;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.imap.message.response.FetchResponse;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MailboxId;
import org.junit.jupiter.api.Test;
import org.maildeck.maildir.james.IdentifiedHeaders;

/** ENVELOPEs kept by message: built once, never handed to another message. */
class RememberedEnvelopesTest {

    private final MailboxId folder = () -> "folder-" + System.identityHashCode(this);
    private final AtomicInteger built = new AtomicInteger();

    private FetchResponse.Envelope build() {
        built.incrementAndGet();
        return (FetchResponse.Envelope) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {FetchResponse.Envelope.class}, (proxy, method, args) -> null);
    }

    @Test
    void aMessagesEnvelopeIsBuiltOnce() throws Exception {
        IdentifiedHeaders.Identity message = new IdentifiedHeaders.Identity(folder, 7, MessageUid.of(1));

        FetchResponse.Envelope first = RememberedEnvelopes.of(message, this::build);
        FetchResponse.Envelope second = RememberedEnvelopes.of(message, this::build);

        assertThat(second).isSameAs(first);
        assertThat(built).hasValue(1);
    }

    @Test
    void theSameUidUnderAnotherUidValidityIsAnotherMessage() throws Exception {
        FetchResponse.Envelope before = RememberedEnvelopes.of(new IdentifiedHeaders.Identity(folder, 7, MessageUid.of(1)), this::build);
        FetchResponse.Envelope after = RememberedEnvelopes.of(new IdentifiedHeaders.Identity(folder, 8, MessageUid.of(1)), this::build);

        assertThat(after).isNotSameAs(before);
        assertThat(built).hasValue(2);
    }

    @Test
    void theSameUidInAnotherFolderIsAnotherMessage() throws Exception {
        MailboxId otherFolder = () -> "other-" + System.identityHashCode(this);
        RememberedEnvelopes.of(new IdentifiedHeaders.Identity(folder, 7, MessageUid.of(1)), this::build);
        RememberedEnvelopes.of(new IdentifiedHeaders.Identity(otherFolder, 7, MessageUid.of(1)), this::build);

        assertThat(built).hasValue(2);
    }

    @Test
    void aFolderOfAsManyMessagesAsTheBoundIsKeptWhole() throws Exception {
        MailboxId large = () -> "large-" + System.identityHashCode(this);
        for (int pass = 0; pass < 2; pass++) {
            for (long uid = 1; uid <= RememberedEnvelopes.MESSAGES; uid++) {
                RememberedEnvelopes.of(new IdentifiedHeaders.Identity(large, 7, MessageUid.of(uid)), this::build);
            }
        }

        assertThat(built).as("envelopes built over two FETCHes of the whole folder").hasValue(RememberedEnvelopes.MESSAGES);
    }
}
