package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.store.ResultUtils;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.FsyncListener;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirStore;

/**
 * A FETCH of a message whose file another session expunged after the FETCH listed it: what James
 * builds the response from must fail with a MailboxException, the failure James's FETCH answers
 * by leaving the message out (as for BODY[]), never with an exception that fails the whole
 * command ({@code NO FETCH processing failed}) and leaves the session's other messages unanswered.
 * The results are made as {@code MaildirMailboxManager}'s message manager makes them.
 */
class VanishedMessageFetchTest {

    private static final String MESSAGE = "From: Sender <sender@example.com>\r\nTo: alice@example.com\r\n"
        + "Subject: going\r\nMessage-ID: <1@example.com>\r\n\r\nbody line\r\n";

    @TempDir
    Path root;

    private MaildirFolder folder;
    private IndexEntry entry;

    @BeforeEach
    void storeOneMessage() throws Exception {
        MaildirStore store = new MaildirStore(root, List.of(), "testhost", FsyncListener.NONE);
        store.create("alice@example.com", "INBOX", 1795243169L);
        folder = store.folder("alice@example.com", "INBOX");
        entry = folder.deliver(new ByteArrayInputStream(MESSAGE.getBytes(US_ASCII)), new Flags(), new Date(), Optional.empty());
    }

    private MaildirMessage listed() throws Exception {
        return new MaildirMessage(folder, new MaildirMailboxId(folder.guid(), Username.of("alice@example.com")),
            new DefaultMessageId.Factory().generate(), entry, new Flags());
    }

    private static MessageResult fetched(MaildirMessage message) throws Exception {
        return new OpenedContentMessageResult(ResultUtils.loadMessageResult(message, FetchGroup.MINIMAL), 1);
    }

    private void expungedByAnotherSession() throws Exception {
        Files.delete(folder.fileOf(entry.uid()));
    }

    @Test
    void theEnvelopeOfAMessageExpungedAfterItWasListedIsAMailboxException() throws Exception {
        MessageResult result = fetched(listed());
        expungedByAnotherSession();

        assertThatThrownBy(() -> result.getHeaders().headers()).isInstanceOf(MailboxException.class);
    }

    @Test
    void theStructureOfAMessageExpungedAfterItWasListedIsAMailboxException() throws Exception {
        MessageResult result = fetched(listed());
        expungedByAnotherSession();

        assertThatThrownBy(result::getMimeDescriptor).isInstanceOf(MailboxException.class);
    }

    @Test
    void theHeaderOfAMessageExpungedOnceItsFileIsOpenIsReadWhole() throws Exception {
        MaildirMessage message = listed();
        try (InputStream header = message.getHeaderContent()) {
            expungedByAnotherSession();

            assertThat(new String(header.readAllBytes(), US_ASCII)).isEqualTo(MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void theBodyOfAMessageExpungedOnceItsFileIsOpenIsReadWhole() throws Exception {
        MaildirMessage message = listed();
        try (InputStream body = message.getBodyContent()) {
            expungedByAnotherSession();

            assertThat(new String(body.readAllBytes(), US_ASCII)).isEqualTo("body line\r\n");
        }
    }

    @Test
    void theStructureOfAMessageExpungedOnceItWasReadStillGivesTheSizesOfItsBody() throws Exception {
        MessageResult result = fetched(listed());
        result.getMimeDescriptor();
        expungedByAnotherSession();

        assertThat(result.getMimeDescriptor().getBodyOctets()).isEqualTo("body line\r\n".length());
    }
}
