package org.maildeck.spool;

import java.io.InputStream;

import javax.jms.JMSException;
import javax.mail.util.SharedByteArrayInputStream;

import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.util.ByteSequence;
import org.apache.james.lifecycle.api.Disposable;
import org.apache.james.server.core.MimeMessageSource;

/**
 * The raw mail of a queued {@link ActiveMQBytesMessage}, read in place: the message's body is
 * the mail's bytes as they were accepted, with no serialisation around them, so the mail is
 * parsed straight from the array the broker delivered (no copy).
 */
final class MailBytesSource implements MimeMessageSource, Disposable {

    private final ActiveMQBytesMessage message;
    private final String id;
    private final SharedByteArrayInputStream bytes;
    private final long size;

    MailBytesSource(ActiveMQBytesMessage message) throws JMSException {
        this.message = message;
        this.id = message.getJMSMessageID();
        this.bytes = inPlace(message);
        this.size = bytes.available();
    }

    private static SharedByteArrayInputStream inPlace(ActiveMQBytesMessage message) throws JMSException {
        ByteSequence content = message.getContent();
        if (content == null) {
            return new SharedByteArrayInputStream(new byte[0]);
        }
        if (message.isCompressed()) {
            // not sent so by this queue (its connections do not compress); read through the JMS API
            byte[] raw = new byte[(int) message.getBodyLength()];
            message.readBytes(raw);
            return new SharedByteArrayInputStream(raw);
        }
        return new SharedByteArrayInputStream(content.getData(), content.getOffset(), content.getLength());
    }

    @Override
    public String getSourceId() {
        return id;
    }

    @Override
    public InputStream getInputStream() {
        return bytes.newStream(0, -1);
    }

    @Override
    public long getMessageSize() {
        return size;
    }

    @Override
    public void dispose() {
        // the array goes with the message: nothing here keeps it once the mail is disposed of
        try {
            message.clearBody();
            message.clearProperties();
        } catch (JMSException e) {
            // a received message clears without errors; it is garbage either way
        }
    }
}
