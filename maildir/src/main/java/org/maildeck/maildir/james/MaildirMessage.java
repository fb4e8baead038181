package org.maildeck.maildir.james;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.ComposedMessageId;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.store.ResultUtils;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.Properties;
import org.apache.james.mailbox.store.mail.model.impl.SimpleMailboxMessage;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.SearchedHeaderFields;

/**
 * A message of a Maildir folder as James sees it: metadata from the folder index, content read
 * from the file only when asked for. Flags set here are written by the message mapper.
 */
final class MaildirMessage implements MailboxMessage, SearchableHeader {

    private final MaildirFolder folder;
    /** The index entry this message was read from: says which file its content is. */
    private final IndexEntry entry;
    private final MailboxId mailboxId;
    private final MessageId messageId;
    private MessageUid uid;
    private ModSeq modSeq;
    private Flags flags;
    private final long internalDate;
    private long headerOctets = -1;
    /**
     * From the index entry the message was read from, when known: the size stays answerable after
     * another session expunged the message (an EXPUNGE of the same messages asks for it).
     */
    private long fullContentOctets;
    private MessageShape shape;

    MaildirMessage(MaildirFolder folder, MailboxId mailboxId, MessageId messageId, IndexEntry entry, Flags flags) {
        this.folder = folder;
        this.entry = entry;
        this.mailboxId = mailboxId;
        this.messageId = messageId;
        this.uid = MessageUid.of(entry.uid());
        this.modSeq = ModSeq.of(entry.modSeq());
        this.flags = flags;
        this.internalDate = entry.internalDate();
        this.fullContentOctets = entry.virtualSize();
    }

    MaildirFolder folder() {
        return folder;
    }

    @Override
    public MessageId getMessageId() {
        return messageId;
    }

    @Override
    public ThreadId getThreadId() {
        return new ThreadId(messageId);
    }

    @Override
    public ComposedMessageIdWithMetaData getComposedMessageIdWithMetaData() {
        return new ComposedMessageIdWithMetaData(new ComposedMessageId(mailboxId, messageId, uid), createFlags(), modSeq, getThreadId());
    }

    @Override
    public MailboxId getMailboxId() {
        return mailboxId;
    }

    @Override
    public MessageUid getUid() {
        return uid;
    }

    @Override
    public void setUid(MessageUid uid) {
        this.uid = uid;
    }

    @Override
    public void setModSeq(ModSeq modSeq) {
        this.modSeq = modSeq;
    }

    @Override
    public ModSeq getModSeq() {
        return modSeq;
    }

    @Override
    public boolean isAnswered() {
        return flags.contains(Flags.Flag.ANSWERED);
    }

    @Override
    public boolean isDeleted() {
        return flags.contains(Flags.Flag.DELETED);
    }

    @Override
    public boolean isDraft() {
        return flags.contains(Flags.Flag.DRAFT);
    }

    @Override
    public boolean isFlagged() {
        return flags.contains(Flags.Flag.FLAGGED);
    }

    @Override
    public boolean isRecent() {
        return flags.contains(Flags.Flag.RECENT);
    }

    @Override
    public boolean isSeen() {
        return flags.contains(Flags.Flag.SEEN);
    }

    @Override
    public void setFlags(Flags flags) {
        this.flags = new Flags(flags);
    }

    @Override
    public Flags createFlags() {
        return new Flags(flags);
    }

    @Override
    public void setSaveDate(Date saveDate) {
        // Maildir keeps no save date; the internal date (file mtime) is what there is.
    }

    @Override
    public Optional<Date> getSaveDate() {
        return EMPTY_SAVE_DATE;
    }

    @Override
    public MailboxMessage copy(Mailbox mailbox) throws MailboxException {
        return SimpleMailboxMessage.copy(mailbox.getMailboxId(), this);
    }

    @Override
    public Date getInternalDate() {
        return new Date(internalDate);
    }

    @Override
    public InputStream getFullContent() throws IOException {
        return folder.openContent(uid.asLong());
    }

    /**
     * The header, from one opening of the file. Opening it a second time for the header's length
     * (as this did) failed when another session expunged the message in between, as an
     * UncheckedIOException that James's FETCH does not skip: {@code NO FETCH processing failed}
     * for an ENVELOPE. An open file stays readable after another process unlinks it.
     */
    @Override
    public InputStream getHeaderContent() throws IOException {
        return new HeaderInputStream(getFullContent());
    }

    /** From the folder's cache when read before, else from the header as James's search reads it. */
    @Override
    public SearchedHeaderFields searchedHeaderFields() throws IOException {
        if (uid.asLong() != entry.uid()) {
            return readHeaderFields();
        }
        return folder.searchedHeaderFields(entry, this::readHeaderFields);
    }

    private SearchedHeaderFields readHeaderFields() throws IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (Header header : ResultUtils.createHeaders(this)) {
            fields.add(Map.entry(header.getName(), header.getValue()));
        }
        return SearchedHeaderFields.of(fields);
    }

    /** The body, from one opening of the file, for the same reason as {@link #getHeaderContent()}. */
    @Override
    public InputStream getBodyContent() throws IOException {
        InputStream content = getFullContent();
        try {
            if (headerOctets < 0) {
                headerOctets = HeaderInputStream.skip(content);
            } else {
                content.skipNBytes(headerOctets);
            }
            return content;
        } catch (IOException | RuntimeException e) {
            content.close();
            throw e;
        }
    }

    @Override
    public long getFullContentOctets() {
        if (fullContentOctets < 0) {
            try {
                fullContentOctets = folder.virtualSize(uid.asLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fullContentOctets;
    }

    @Override
    public long getHeaderOctets() {
        if (headerOctets < 0) {
            try (InputStream content = getFullContent()) {
                headerOctets = HeaderInputStream.skip(content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return headerOctets;
    }

    @Override
    public long getBodyOctets() {
        return getFullContentOctets() - getHeaderOctets();
    }

    /**
     * The structure, with the sizes a BODYSTRUCTURE built from it asks for next: all of it read
     * now, in the one call that may fail (the file gone), not in the middle of building the
     * response. The header's length is counted on the way, from the same opening of the file.
     */
    private MessageShape shape() {
        if (shape == null) {
            try (InputStream content = getFullContent()) {
                if (headerOctets < 0) {
                    byte[] header = new HeaderInputStream(content).readAllBytes();
                    headerOctets = header.length;
                    shape = MessageShape.read(new SequenceInputStream(new ByteArrayInputStream(header), content));
                } else {
                    shape = MessageShape.read(content);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            getFullContentOctets();
        }
        return shape;
    }

    @Override
    public String getMediaType() {
        return shape().mediaType();
    }

    @Override
    public String getSubType() {
        return shape().subType();
    }

    @Override
    public Long getTextualLineCount() {
        return shape().textualLineCount();
    }

    @Override
    public Properties getProperties() {
        return shape().properties().build();
    }

    @Override
    public List<MessageAttachmentMetadata> getAttachments() {
        return List.of();
    }

    @Override
    public String toString() {
        return "MaildirMessage{" + folder.directory() + " uid " + uid.asLong() + "}";
    }
}
