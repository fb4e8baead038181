package org.maildeck.mailets;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import javax.inject.Inject;
import javax.inject.Named;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.james.server.core.MimeMessageUtil;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.apache.mailet.StorageDirective;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.maildir.james.MaildirMessageMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a mail to its local recipients' Maildir folders. The folder is the one the pipeline
 * chose for the recipient (a Sieve {@code fileinto}, the Junk folder of the spam filter: the
 * {@code DeliveryPath_<user>} attribute), else the {@code folder} parameter (default INBOX); a
 * missing folder is created. Writes one mail-log line per recipient:
 * {@code <queue id>: to=<rcpt>, folder=INBOX, uid=12, size=2048, delay=0.21, status=delivered}.
 *
 * <p>Each delivery carries the mail's queue id and the recipient as its key: when the spool
 * hands the same mail out again after a crash, the store finds the copy it already made.</p>
 *
 * <p>Parameters: {@code folder} (default {@code INBOX}), {@code overQuotaProcessor} (where
 * recipients whose mailbox is full go, default {@code bounces}). A recipient that cannot be
 * delivered for another reason fails the mail, which then goes to the mailet's
 * {@code onMailetException} processor (the error repository by default): nothing is dropped.</p>
 */
public class MaildirDelivery extends GenericMailet {

    private static final Logger MAIL_LOGGER = MailLog.LOGGER;
    private static final Logger LOGGER = LoggerFactory.getLogger(MaildirDelivery.class);
    /** The attribute James's DSNBounce reads the status code from. */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");

    private final MailboxManager mailboxManager;
    private final UsersRepository users;
    private final MaildirDeliveries deliveries;
    private String defaultFolder;
    private String overQuotaProcessor;

    @Inject
    public MaildirDelivery(@Named("mailboxmanager") MailboxManager mailboxManager, UsersRepository users, MaildirDeliveries deliveries) {
        this.mailboxManager = mailboxManager;
        this.users = users;
        this.deliveries = deliveries;
    }

    @Override
    public void init() throws MessagingException {
        defaultFolder = getInitParameter("folder", MailboxConstants.INBOX);
        overQuotaProcessor = getInitParameter("overQuotaProcessor", "bounces");
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck Maildir delivery";
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // Like any delivery agent: the envelope sender becomes the one Return-Path of the copy.
        mail.getMessage().setHeader("Return-Path", mail.getMaybeSender().asPrettyString());
        List<MailAddress> overQuota = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Map<String, List<String>> saved = addRecipientHeaders(mail, recipient);
            try {
                deliver(mail, recipient);
            } catch (OverQuotaException full) {
                logLine(mail, recipient, "-", "status=bounced (mailbox full: " + full.getMessage() + ")");
                deliveries.recordBouncedOverQuota();
                overQuota.add(recipient);
            } catch (MailboxException | UsersRepositoryException e) {
                logLine(mail, recipient, "-", "status=deferred (" + e.getMessage() + ")");
                deliveries.recordDeferred();
                throw new MessagingException("delivery to " + recipient.asString() + " failed: " + e.getMessage(), e);
            } finally {
                restoreHeaders(mail.getMessage(), saved);
            }
        }
        if (!overQuota.isEmpty()) {
            Mail bounced = mail.duplicate();
            bounced.setRecipients(overQuota);
            bounced.setErrorMessage("552 5.2.2 Mailbox full");
            // DSNBounce writes this as the DSN's Status: field.
            bounced.setAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of("5.2.2")));
            getMailetContext().sendMail(bounced, overQuotaProcessor);
        }
        mail.setState(Mail.GHOST);
    }

    private void deliver(Mail mail, MailAddress recipient) throws MessagingException, MailboxException, UsersRepositoryException {
        Username user = users.getUsername(recipient);
        StorageDirective directive = StorageDirective.fromMail(user, mail).withDefaultFolder(defaultFolder);
        String folder = directive.getTargetFolder().orElse(defaultFolder).replace('/', '.');
        if (folder.startsWith(".")) {
            folder = folder.substring(1);
        }
        MailboxSession session = mailboxManager.createSystemSession(user);
        session.getAttributes().put(MaildirMessageMapper.DELIVERY_KEY, deliveryKey(mail, recipient, folder));
        mailboxManager.startProcessingRequest(session);
        try {
            MessageManager mailbox = mailboxOf(MailboxPath.forUser(user, folder), session);
            MessageManager.AppendCommand.Builder command = MessageManager.AppendCommand.builder().recent().delivery();
            directive.getFlags().ifPresent(command::withFlags);
            MessageManager.AppendResult stored = mailbox.appendMessage(command.build(contentOf(mail.getMessage())), session);
            logLine(mail, recipient, folder, "uid=" + stored.getId().getUid().asLong() + ", size=" + mail.getMessageSize() + ", status=delivered");
            // The copy's own size: with this recipient's headers (Delivered-To, ...), unlike the log's size=.
            deliveries.recordDelivered(stored.getSize());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    private static Content contentOf(MimeMessage message) {
        return new Content() {
            @Override
            public InputStream getInputStream() throws IOException {
                try {
                    return new MimeMessageInputStream(message);
                } catch (MessagingException e) {
                    throw new IOException("cannot read the message: " + e.getMessage(), e);
                }
            }

            @Override
            public long size() throws MailboxException {
                try {
                    return MimeMessageUtil.getMessageSize(message);
                } catch (MessagingException e) {
                    throw new MailboxException("cannot compute the message size", e);
                }
            }
        };
    }

    /**
     * Adds the headers the pipeline set for this recipient only (Delivered-To, ...) and returns
     * what those header fields held before, to be put back for the next recipient.
     */
    private static Map<String, List<String>> addRecipientHeaders(Mail mail, MailAddress recipient) throws MessagingException {
        MimeMessage message = mail.getMessage();
        Map<String, List<String>> saved = new LinkedHashMap<>();
        for (String name : mail.getPerRecipientSpecificHeaders().getHeaderNamesForRecipient(recipient)) {
            String[] values = message.getHeader(name);
            saved.put(name, values == null ? List.of() : List.of(values));
        }
        for (PerRecipientHeaders.Header header : mail.getPerRecipientSpecificHeaders().getHeadersForRecipient(recipient)) {
            message.addHeader(header.getName(), header.getValue());
        }
        return saved;
    }

    private static void restoreHeaders(MimeMessage message, Map<String, List<String>> saved) throws MessagingException {
        for (Map.Entry<String, List<String>> field : saved.entrySet()) {
            message.removeHeader(field.getKey());
            for (String value : field.getValue()) {
                message.addHeader(field.getKey(), value);
            }
        }
    }

    /** Same mail, same recipient, same folder: the same delivery, however often it is attempted. */
    static String deliveryKey(Mail mail, MailAddress recipient, String folder) {
        return mail.getName() + " " + recipient.asString().toLowerCase(Locale.ROOT) + " " + folder;
    }

    private MessageManager mailboxOf(MailboxPath path, MailboxSession session) throws MailboxException {
        try {
            return mailboxManager.getMailbox(path, session);
        } catch (MailboxNotFoundException missing) {
            try {
                mailboxManager.createMailbox(path, MailboxManager.CreateOption.CREATE_SUBSCRIPTION, session);
                LOGGER.info("created folder {} for {}", path.getName(), path.getUser().asString());
            } catch (MailboxExistsException createdMeanwhile) {
                // another delivery created it first
            }
            return mailboxManager.getMailbox(path, session);
        }
    }

    private static void logLine(Mail mail, MailAddress recipient, String folder, String outcome) {
        Instant arrived = mail.getLastUpdated() == null ? Instant.now() : mail.getLastUpdated().toInstant();
        double delay = Duration.between(arrived, Instant.now()).toMillis() / 1000.0;
        MAIL_LOGGER.info("{}: to=<{}>, folder={}, relay=maildir, delay={}, {}", mail.getName(), recipient.asString(), folder,
            String.format(Locale.ROOT, "%.2f", delay), outcome);
    }
}
