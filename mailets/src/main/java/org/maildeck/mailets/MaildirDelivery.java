package org.maildeck.mailets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import javax.inject.Inject;
import javax.inject.Named;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNameException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.apache.mailet.StorageDirective;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.james.DeliveryKey;
import org.maildeck.maildir.james.MaildirMailboxes;
import org.maildeck.mailets.sieve.FolderCopies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a mail to its local recipients' Maildir folders. The folder is the one the pipeline
 * chose for the recipient (a Sieve {@code fileinto}, the Junk folder of the spam filter: the
 * {@code DeliveryPath_<user>} attribute), else the {@code folder} parameter (default INBOX), and
 * the other folders a Sieve script filed a copy into ({@link FolderCopies}); a missing folder
 * is created. Writes one mail-log line per recipient and folder:
 * {@code <queue id>: to=<rcpt>, folder=INBOX, uid=12, size=2048, delay=0.21, status=delivered}.
 *
 * <p>Each delivery carries a key: the mail (also when the pipeline split it), the recipient,
 * the folder. When the spool hands the same mail out again after a crash, the store finds the
 * copy it already made, before James's quota check would count that copy against itself.</p>
 *
 * <p>Parameters: {@code folder} (default {@code INBOX}), {@code overQuotaProcessor} (where
 * recipients whose mailbox is full go, default {@code bounces}), {@code deferredProcessor}
 * (where recipients go whose delivery failed for another reason, e.g. a Maildir the server
 * cannot write: a processor that tries them again later, as Postfix defers them; the other
 * recipients keep their copy). Without {@code deferredProcessor} such a failure fails the
 * whole mail, which then goes to the mailet's {@code onMailetException} processor (the error
 * repository by default). Nothing is dropped either way.</p>
 */
public class MaildirDelivery extends GenericMailet {

    private static final Logger LOGGER = LoggerFactory.getLogger(MaildirDelivery.class);
    /** What MailImpl.deriveNewName appends at each split: "-!" and seven digits. */
    private static final Pattern SPLIT_SUFFIXES = Pattern.compile("(-![0-9]{7})+$");
    /** Why the delivery of a deferred mail failed (RetryLater's reasonAttribute). */
    static final AttributeName FAILURE = AttributeName.of("org.maildeck.delivery.failure");

    private final MailboxManager mailboxManager;
    private final MaildirMailboxes mailboxes;
    private final UsersRepository users;
    private final DeliveryOutcomes outcomes;
    private String defaultFolder;
    private String overQuotaProcessor;
    private Optional<String> deferredProcessor;

    @Inject
    public MaildirDelivery(@Named("mailboxmanager") MailboxManager mailboxManager, MaildirMailboxes mailboxes, UsersRepository users,
                           DeliveryOutcomes outcomes) {
        this.mailboxManager = mailboxManager;
        this.mailboxes = mailboxes;
        this.users = users;
        this.outcomes = outcomes;
    }

    @Override
    public void init() throws MessagingException {
        defaultFolder = getInitParameter("folder", MailboxConstants.INBOX);
        overQuotaProcessor = getInitParameter("overQuotaProcessor", "bounces");
        deferredProcessor = Optional.ofNullable(getInitParameter("deferredProcessor")).map(String::trim).filter(name -> !name.isEmpty());
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
        Map<MailAddress, String> failed = new LinkedHashMap<>();
        String body = bodyDigest(mail.getMessage());
        for (MailAddress recipient : mail.getRecipients()) {
            Map<String, List<String>> saved = addRecipientHeaders(mail, recipient);
            try {
                deliver(mail, recipient, body);
            } catch (OverQuotaException full) {
                outcomes.bounced(Hop.maildir(mail, "-"), recipient.asString(), "mailbox full: " + full.getMessage());
                overQuota.add(recipient);
            } catch (MailboxException | UsersRepositoryException e) {
                Optional<String> whereTo = deferredProcessor.isPresent() ? Optional.empty()
                    : Optional.of("to processor " + getInitParameter("onMailetException", "error"));
                outcomes.deferred(Hop.maildir(mail, "-"), recipient.asString(), e.getMessage(), whereTo);
                if (deferredProcessor.isEmpty()) {
                    throw new MessagingException("delivery to " + recipient.asString() + " failed: " + e.getMessage(), e);
                }
                failed.put(recipient, e.getMessage());
            } finally {
                restoreHeaders(mail.getMessage(), saved);
            }
        }
        if (!overQuota.isEmpty()) {
            Mail bounced = mail.duplicate();
            bounced.setRecipients(overQuota);
            bounced.setErrorMessage("552 5.2.2 Mailbox full");
            for (MailAddress recipient : overQuota) {
                RecipientFailures.record(bounced, recipient.asString(), DeliveryFailure.from("5.2.2 Mailbox full", "5.2.2"));
            }
            try {
                getMailetContext().sendMail(bounced, overQuotaProcessor);
            } finally {
                LifecycleUtil.dispose(bounced);
            }
        }
        deferLater(mail, failed);
    }

    /**
     * The recipients whose delivery failed go on to the deferred processor (a RetryLater that
     * brings them back here later), as Postfix defers a local recipient: the mail keeps only them,
     * the others have their copy. No new mail is made, so its name does not grow at each retry.
     */
    private void deferLater(Mail mail, Map<MailAddress, String> failed) {
        if (failed.isEmpty()) {
            mail.setState(Mail.GHOST);
            return;
        }
        String reason = String.join("; ", new LinkedHashSet<>(failed.values()));
        mail.setRecipients(failed.keySet());
        mail.setAttribute(new Attribute(FAILURE, AttributeValue.of(reason)));
        mail.setErrorMessage("451 4.3.0 Local delivery failed: " + reason);
        // what the sender's notice says if the retries run out
        failed.forEach((recipient, why) -> RecipientFailures.record(mail, recipient.asString(),
            DeliveryFailure.from("4.3.0 Local delivery failed: " + why, "4.3.0")));
        mail.setState(deferredProcessor.get());
    }

    private void deliver(Mail mail, MailAddress recipient, String body) throws MessagingException, MailboxException,
            UsersRepositoryException {
        Username user = users.getUsername(recipient);
        StorageDirective directive = StorageDirective.fromMail(user, mail).withDefaultFolder(defaultFolder);
        String folder = folderName(directive.getTargetFolder().orElse(defaultFolder));
        try {
            deliverInto(folder, mail, recipient, user, directive, body);
        } catch (MailboxNameException unusable) {
            if (folder.equals(defaultFolder)) {
                throw unusable;
            }
            // As Dovecot's LDA does with a fileinto it cannot honour: the mail is kept, in the default folder.
            LOGGER.warn("folder {} of {} cannot be used ({}); delivering to {}", folder, user.asString(), unusable.getMessage(),
                defaultFolder);
            folder = defaultFolder;
            deliverInto(defaultFolder, mail, recipient, user, directive, body);
        }
        deliverCopies(folder, mail, recipient, user, directive, body);
    }

    /**
     * The copies a Sieve script asked for besides the folder above ({@code fileinto :copy}, a
     * second {@code fileinto}): each under its folder's ledger, so a retry after a failure in
     * one of them does not store the others twice. A copy into a folder the store cannot use is
     * left out (the mail is in the folder above already).
     */
    private void deliverCopies(String delivered, Mail mail, MailAddress recipient, Username user, StorageDirective directive,
                               String body) throws MessagingException, MailboxException {
        List<String> done = new ArrayList<>(List.of(delivered));
        for (String copy : FolderCopies.of(mail, user)) {
            String folder = folderName(copy);
            boolean already = done.stream().anyMatch(earlier -> earlier.equals(folder)
                || MaildirLayout.isInbox(earlier) && MaildirLayout.isInbox(folder));
            if (already) {
                continue;
            }
            done.add(folder);
            try {
                deliverInto(folder, mail, recipient, user, directive, body);
            } catch (MailboxNameException | OverQuotaException unusable) {
                // the recipient has the mail: a copy the store refuses is not worth a bounce
                LOGGER.warn("folder {} of {} cannot take a copy ({}); none there", folder, user.asString(), unusable.getMessage());
            }
        }
    }

    /** The store's name of a folder a Sieve script or the pipeline named ({@code a/b} or {@code .a.b} is {@code a.b}). */
    public static String folderName(String target) {
        String folder = target.replace('/', '.');
        return folder.startsWith(".") ? folder.substring(1) : folder;
    }

    private void deliverInto(String folder, Mail mail, MailAddress recipient, Username user, StorageDirective directive,
                             String body) throws MessagingException, MailboxException {
        String key = deliveryKey(mail, recipient, folder, body);
        Optional<IndexEntry> earlier = mailboxes.earlierDelivery(user, folder, key,
            () -> deliveryKey(mail, recipient, folder, olderBodyDigest(mail)));
        if (earlier.isPresent()) {
            // Stored before a crash: said before James's quota check, which would count the copy against itself.
            outcomes.deliveredBeforeRestart(Hop.maildir(mail, folder), recipient, "uid=" + earlier.get().uid() + ", size=" + mail.getMessageSize());
            return;
        }
        MailboxSession session = mailboxManager.createSystemSession(user);
        DeliveryKey.attach(session, key);
        mailboxManager.startProcessingRequest(session);
        try {
            MessageManager mailbox = mailboxOf(MailboxPath.forUser(user, folder), session);
            MessageManager.AppendCommand.Builder command = MessageManager.AppendCommand.builder().recent().delivery();
            directive.getFlags().ifPresent(command::withFlags);
            MessageManager.AppendResult stored = mailbox.appendMessage(command.build(contentOf(mail.getMessage())), session);
            // Counted as the copy's own size: with this recipient's headers (Delivered-To, ...), unlike the log's size=.
            outcomes.delivered(Hop.maildir(mail, folder), recipient, "uid=" + stored.getId().getUid().asLong() + ", size=" + mail.getMessageSize(),
                stored.getSize());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    /**
     * The recipient's copy as James's append reads it: twice (parsed for its properties, then
     * written to the file) and once for its size. Read out once into memory: each read of a
     * {@code MimeMessageWrapper} whose header changed (Return-Path, Delivered-To) parses the
     * stored header again, and its size is computed from the header lines.
     */
    private static Content contentOf(MimeMessage message) throws MessagingException {
        MessageBytes bytes = new MessageBytes();
        // Not message.writeTo: that would save the changes first, adding Date, MIME-Version and
        // Message-ID fields the sender did not send.
        try (InputStream in = new MimeMessageInputStream(message)) {
            in.transferTo(bytes);
        } catch (IOException e) {
            throw new MessagingException("cannot read the message: " + e.getMessage(), e);
        }
        return new Content() {
            @Override
            public InputStream getInputStream() {
                return bytes.read();
            }

            @Override
            public long size() {
                return bytes.size();
            }
        };
    }

    /** A message written out, read in place. */
    private static final class MessageBytes extends ByteArrayOutputStream {
        MessageBytes() {
            super(8192);
        }

        InputStream read() {
            return new ByteArrayInputStream(buf, 0, count);
        }
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

    /**
     * Same mail, same recipient, same folder: the same delivery, however often the spool attempts
     * it. A part split off by a matcher is still the same mail: James names it after the whole
     * with a random {@code -!NNNNNNN} (MailImpl.duplicate), drawn anew when the spool repeats the
     * mail after a crash, so those suffixes are left out. A bounce of the mail is named the same
     * way; the digest of the body, also in the key, keeps it from passing for the mail it reports
     * on. (Not the Message-ID: a copy of a mail without one gets a random one.)
     */
    static String deliveryKey(Mail mail, MailAddress recipient, String folder, String bodyDigest) {
        return SPLIT_SUFFIXES.matcher(mail.getName()).replaceFirst("") + " "
            + recipient.asString().toLowerCase(Locale.ROOT) + " " + folder + " " + bodyDigest;
    }

    /**
     * A checksum of the body as received (without the header): {@code c}, its CRC-32C in hex, a
     * dot, its length. It only has to tell a mail from a bounce named after it (see
     * {@link #deliveryKey}), not to withstand forgery, and CRC-32C is computed by the CPU's own
     * instruction: the SHA-256 used before cost more CPU than the rest of the delivery's Java
     * code with the client compiler the server runs on. Never 16 hex digits, the older form.
     */
    static String bodyDigest(MimeMessage message) throws MessagingException {
        CRC32C checksum = new CRC32C();
        long length = 0;
        byte[] buffer = new byte[8192];
        try (InputStream body = message.getRawInputStream()) {
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                checksum.update(buffer, 0, read);
                length += read;
            }
        } catch (IOException e) {
            throw new MessagingException("cannot read the message body: " + e.getMessage(), e);
        }
        return "c" + HexFormat.of().toHexDigits((int) checksum.getValue()) + "." + length;
    }

    /**
     * The body digest as earlier builds put it in the key (the first 16 hex digits of the
     * SHA-256 of the body), for a mail they delivered that the spool hands out again after an
     * upgrade; asked for only when the folder's ledger holds keys of that form for the mail.
     */
    static String olderBodyDigest(Mail mail) {
        try (DigestInputStream body = new DigestInputStream(mail.getMessage().getRawInputStream(), MessageDigest.getInstance("SHA-256"))) {
            body.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(body.getMessageDigest().digest(), 0, 8);
        } catch (IOException | MessagingException e) {
            throw new UncheckedIOException(new IOException("cannot read the message body: " + e.getMessage(), e));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
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
}
