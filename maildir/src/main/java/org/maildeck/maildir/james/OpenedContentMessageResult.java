package org.maildeck.maildir.james;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.Headers;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * A fetched message whose file is opened while the FETCH response is built, not while it is
 * written.
 *
 * <p>James writes a literal's announcement ({@code BODY[HEADER] {461}}) and only then asks the
 * content for its stream. When another session expunged the message in between, the Maildir file
 * was gone, the stream could not be opened, and the client got the announcement without the
 * bytes, so its reading of the stream broke (RFC 9051 §5.2 and §7.5 allow a server to omit or
 * refuse an expunged message, not to break the framing). Upstream has the same order in
 * {@code ImapResponseComposerImpl.literal} (no change found in apache/james-project); what it
 * relies on is a store whose content cannot vanish, which a shared Maildir is not.
 *
 * <p>So the header is read into memory when the response builder asks for its size (it does so
 * for {@code BODY[HEADER]} before writing anything; ENVELOPE and HEADER.FIELDS only parse it), and
 * the full content and the body are opened when the builder asks for them, which it does only to
 * write them: an open file stays readable after another process unlinks it. A file already gone at that point makes the builder
 * fail for this message, and James's FETCH leaves the message out of its answer.
 */
final class OpenedContentMessageResult extends ForwardingMessageResult {

    private final long uidValidity;
    private ReadHeaders headers;

    /** {@code uidValidity}: the folder's, under which the message's UID names its content. */
    OpenedContentMessageResult(MessageResult loaded, long uidValidity) {
        super(loaded);
        this.uidValidity = uidValidity;
    }

    /**
     * The size, which the store may have to read from the file. James's FETCH leaves out a message
     * whose building fails with a MailboxException but fails the whole command on anything else,
     * and this method may not declare one: a file gone before its size was known is reported as
     * the MailboxException it is, undeclared.
     */
    @Override
    public long getSize() {
        try {
            return loaded.getSize();
        } catch (UncheckedIOException e) {
            throw undeclared(new MailboxException("Unable to read the size of message " + getUid(), e.getCause()));
        }
    }

    /**
     * The structure (BODYSTRUCTURE, BODY), which the store reads from the file when first asked:
     * a file gone meanwhile is the MailboxException James's FETCH skips the message for.
     */
    @Override
    public MimeDescriptor getMimeDescriptor() throws MailboxException {
        try {
            return loaded.getMimeDescriptor();
        } catch (UncheckedIOException e) {
            throw new MailboxException("Unable to read the structure of message " + getUid(), e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException undeclared(Exception e) throws E {
        throw (E) e;
    }

    @Override
    public Content getFullContent() throws MailboxException, IOException {
        return OpenedContent.of(loaded.getFullContent());
    }

    @Override
    public Content getBody() throws MailboxException, IOException {
        return OpenedContent.of(loaded.getBody());
    }

    @Override
    public Headers getHeaders() throws MailboxException {
        if (headers == null) {
            headers = new ReadHeaders(loaded.getHeaders(),
                new IdentifiedHeaders.Identity(loaded.getMailboxId(), uidValidity, loaded.getUid()));
        }
        return headers;
    }

    /** A content whose size was taken and stream opened when it was asked for; a later stream is opened again. */
    private static final class OpenedContent implements Content {
        private final Content content;
        private final long size;
        private InputStream opened;

        private OpenedContent(Content content, long size, InputStream opened) {
            this.content = content;
            this.size = size;
            this.opened = opened;
        }

        static Content of(Content content) throws IOException {
            try {
                long size = content.size();
                // Nothing is written for an empty literal: nothing to open, nothing left open.
                return new OpenedContent(content, size, size == 0 ? null : content.getInputStream());
            } catch (MailboxException e) {
                throw new IOException(e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            InputStream stream = opened;
            opened = null;
            return stream != null ? stream : content.getInputStream();
        }

        @Override
        public long size() {
            return size;
        }
    }

    /** The header, read once when its size or bytes are first asked for: the literal announced is the literal sent. */
    private static final class ReadHeaders implements IdentifiedHeaders {
        private final Headers original;
        private final Identity message;
        private byte[] bytes;

        ReadHeaders(Headers original, Identity message) {
            this.original = original;
            this.message = message;
        }

        @Override
        public Identity message() {
            return message;
        }

        private synchronized byte[] bytes() throws IOException {
            if (bytes == null) {
                try (InputStream in = original.getInputStream()) {
                    bytes = in.readAllBytes();
                } catch (UncheckedIOException e) {
                    // the store's header length, read from a file gone meanwhile
                    throw e.getCause();
                }
            }
            return bytes;
        }

        @Override
        public Iterator<Header> headers() throws MailboxException {
            return original.headers();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new ByteArrayInputStream(bytes());
        }

        @Override
        public long size() throws MailboxException {
            try {
                return bytes().length;
            } catch (IOException e) {
                throw new MailboxException("Unable to read the header", e);
            }
        }

        @Override
        public Publisher<ByteBuffer> reactiveBytes() {
            return Mono.fromCallable(() -> ByteBuffer.wrap(bytes()));
        }
    }
}
