package org.maildeck.maildir.james;

import java.io.IOException;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.Headers;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageAttachmentMetadata;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MimeDescriptor;
import org.apache.james.mailbox.model.MimePath;
import org.apache.james.mailbox.model.ThreadId;

/** A fetched message that answers everything from the one James loaded; subclasses change what they must. */
abstract class ForwardingMessageResult implements MessageResult {

    protected final MessageResult loaded;

    ForwardingMessageResult(MessageResult loaded) {
        this.loaded = loaded;
    }

    @Override
    public Iterator<Header> iterateHeaders(MimePath path) throws MailboxException {
        return loaded.iterateHeaders(path);
    }

    @Override
    public Iterator<Header> iterateMimeHeaders(MimePath path) throws MailboxException {
        return loaded.iterateMimeHeaders(path);
    }

    @Override
    public Content getBody(MimePath path) throws MailboxException {
        return loaded.getBody(path);
    }

    @Override
    public Content getMimeBody(MimePath path) throws MailboxException {
        return loaded.getMimeBody(path);
    }

    @Override
    public Content getFullContent(MimePath path) throws MailboxException {
        return loaded.getFullContent(path);
    }

    @Override
    public Content getFullContent() throws MailboxException, IOException {
        return loaded.getFullContent();
    }

    @Override
    public Content getBody() throws MailboxException, IOException {
        return loaded.getBody();
    }

    @Override
    public Headers getHeaders() throws MailboxException {
        return loaded.getHeaders();
    }

    @Override
    public MimeDescriptor getMimeDescriptor() throws MailboxException {
        return loaded.getMimeDescriptor();
    }

    @Override
    public List<MessageAttachmentMetadata> getLoadedAttachments() throws MailboxException {
        return loaded.getLoadedAttachments();
    }

    @Override
    public MessageId getMessageId() {
        return loaded.getMessageId();
    }

    @Override
    public ThreadId getThreadId() {
        return loaded.getThreadId();
    }

    @Override
    public Optional<Date> getSaveDate() {
        return loaded.getSaveDate();
    }

    @Override
    public Date getInternalDate() {
        return loaded.getInternalDate();
    }

    @Override
    public Flags getFlags() {
        return loaded.getFlags();
    }

    @Override
    public long getSize() {
        return loaded.getSize();
    }

    @Override
    public MessageMetaData messageMetaData() {
        return loaded.messageMetaData();
    }

    @Override
    public MessageUid getUid() {
        return loaded.getUid();
    }

    @Override
    public ModSeq getModSeq() {
        return loaded.getModSeq();
    }

    @Override
    public MailboxId getMailboxId() {
        return loaded.getMailboxId();
    }

    @Override
    public int compareTo(MessageResult that) {
        return getUid().compareTo(that.getUid());
    }

    @Override
    public String toString() {
        return loaded.toString();
    }
}
