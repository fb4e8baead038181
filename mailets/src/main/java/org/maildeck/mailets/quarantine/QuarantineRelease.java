package org.maildeck.mailets.quarantine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.MailetContext;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.ScanAttributes;
import org.maildeck.mailets.smtpd.NextHop;
import org.maildeck.mailets.smtpd.NextHops;

/**
 * Sends a quarantined message on to its original recipients: back into the spool with the
 * category that caught it marked as released (the content filter does not apply that verdict
 * again) and an {@code X-Quarantine-ID} header, then removes it from the quarantine. Who released
 * what goes to the mail log.
 */
public class QuarantineRelease {
    static final String QUARANTINE_HEADER = "X-Quarantine-ID";

    private final Quarantine quarantine;
    private final MailetContext mailetContext;
    private final NextHops nextHops;
    private final DeliveryOutcomes outcomes;

    @Inject
    public QuarantineRelease(Quarantine quarantine, MailetContext mailetContext, NextHops nextHops, DeliveryOutcomes outcomes) {
        this.quarantine = quarantine;
        this.mailetContext = mailetContext;
        this.nextHops = nextHops;
        this.outcomes = outcomes;
    }

    /** The new queue id of the released message; empty when there is no such entry. */
    public Optional<String> release(String id, String releasedBy) throws IOException, MessagingException {
        Optional<QuarantineEntry> found = quarantine.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        QuarantineEntry entry = found.get();
        MimeMessage message;
        try (InputStream in = quarantine.open(id).orElseThrow(() -> new IOException(id + " vanished while being released"))) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        message.setHeader(QUARANTINE_HEADER, id);
        Optional<NextHop> nextHop = Optional.ofNullable(message.getHeader(NextHop.HEADER, null)).flatMap(nextHops::named);
        message.removeHeader(NextHop.HEADER);
        MailImpl.Builder mail = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(entry.sender().isEmpty() ? MaybeSender.nullSender() : MaybeSender.of(new MailAddress(entry.sender())))
            .mimeMessage(message)
            .addAttribute(ScanAttributes.releasedFrom(entry.category()));
        for (String recipient : entry.recipients()) {
            mail.addRecipient(new MailAddress(recipient));
        }
        MailImpl released = mail.build();
        try {
            if (nextHop.isPresent()) {
                passOn(released, nextHop.get());
            } else {
                mailetContext.sendMail(released);
            }
        } finally {
            released.dispose();
        }
        // the message is in the spool now; a crash before this line releases it once more at worst
        quarantine.delete(id);
        MailLog.LOGGER.info("{}: released from quarantine ({}: {}) by {}: queue id={}, from=<{}>, nrcpt={}",
            id, entry.category(), entry.reason(), releasedBy, released.getName(), entry.sender(), entry.recipients().size());
        return Optional.of(released.getName());
    }

    /**
     * Mail the filter port caught goes back where it was going, the next hop (Postfix's
     * reinjection smtpd), not through this server's own delivery: at once, and it stays in the
     * quarantine unless the next hop takes it.
     */
    private void passOn(MailImpl released, NextHop nextHop) throws MessagingException {
        NextHop.Answer answer = nextHop.forward(released, System.getProperty("maildeck.hostname", "localhost"), outcomes);
        if (!answer.accepted()) {
            throw new MessagingException("the next hop did not take it: " + answer.code() + " " + answer.text());
        }
    }
}
