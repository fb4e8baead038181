package org.maildeck.milter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.CaughtMail;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.ContentScan;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.ScanAttributes;
import org.maildeck.mailets.smtpd.EndOfDataRefusals;
import org.maildeck.mailets.smtpd.ScanDuringData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The milter's end-of-message decision, the SMTP listener's ({@code ScanDuringData}) and the
 * pipeline's ({@code ContentFilter}, {@code Destiny}, the spam marks) applied to a message Postfix
 * is receiving: the same {@link ContentScan} over the same route, the same spam levels and the
 * same replies.
 * <ul>
 * <li>a scanner failed and the policy is {@code tempfail}: {@code 451 4.7.1}, Postfix's client tries again;</li>
 * <li>a category caught ({@link EndOfDataRefusals}: spam only when every recipient's kill level is
 *     reached): its {@link Destinies destiny}, the copy kept in the quarantine when
 *     {@code quarantine} is on: {@code reject} answers {@code 554 5.7.0 Virus found: ...},
 *     {@code discard} has Postfix drop it, {@code pass} adds {@code X-Maildeck-Alert};</li>
 * <li>otherwise accepted with {@code X-Virus-Scanned} and the spam headers and subject tag for
 *     the levels reached, any forged copies of them removed ({@link HeaderChanges}).</li>
 * </ul>
 * Each decision is one mail-log line under Postfix's queue id ({@code DeliveryOutcomes.milterDecision});
 * the scan itself is counted and logged by {@link ContentScan} as for any mail.
 */
public final class ScanAtEndOfMessage implements EndOfMessage {

    private static final Logger LOGGER = LoggerFactory.getLogger(ScanAtEndOfMessage.class);
    static final String TOO_LARGE = "552 5.3.4 Message size exceeds fixed limit";
    private static final String NOT_SCANNED = "451 4.3.0 Temporary failure: message not scanned";

    private final ContentScan scan;
    private final EndOfDataRefusals rejected;
    private final EndOfDataRefusals discarded;
    private final EndOfDataRefusals passed;
    private final boolean quarantined;
    private final Quarantine quarantine;
    private final SpamTags spamTags;
    private final DeliveryOutcomes outcomes;

    public ScanAtEndOfMessage(ScanRoute route, ContentScan.Policy policy, Destinies destinies, boolean quarantined,
                              SpamLevels levels, Quarantine quarantine, SpamTags spamTags, DeliveryOutcomes outcomes)
            throws MessagingException {
        this.scan = new ContentScan(route, policy, outcomes);
        this.rejected = EndOfDataRefusals.parse(destinies.categories(Destinies.Fate.REJECT), levels);
        this.discarded = EndOfDataRefusals.parse(destinies.categories(Destinies.Fate.DISCARD), levels);
        this.passed = EndOfDataRefusals.parse(destinies.categories(Destinies.Fate.PASS), levels);
        this.quarantined = quarantined;
        this.quarantine = quarantine;
        this.spamTags = spamTags;
        this.outcomes = outcomes;
    }

    @Override
    public Verdict tooLarge(ReceivedMessage message) {
        Mail mail = envelope(message);
        outcomes.milterDecision(mail, "reject", message.client(), TOO_LARGE + " (" + message.size() + " bytes or more)",
            Optional.empty(), Optional.empty());
        return Verdict.refuse(TOO_LARGE);
    }

    @Override
    public Verdict decide(ReceivedMessage message) {
        MailImpl mail = envelope(message);
        try {
            MimeMessageWrapper content = new MimeMessageWrapper(message.content());
            // not setMessage: it would copy the message, parsing it again through writeTo
            mail.setMessageNoCopy(content);
            HeaderChanges.removeOurs(content);
            scan.scanAndRecord(mail);
            if (ScanAttributes.failure(mail).isPresent()) {
                return refuse(mail, message, "tempfail", "451 " + ScanDuringData.SCANNER_UNAVAILABLE, Optional.empty());
            }
            Optional<Category> refused = rejected.refusal(mail);
            if (refused.isPresent()) {
                return refuse(mail, message, "reject", refused.get().reply(refused.get().finding(mail)), refused);
            }
            Optional<Category> dropped = discarded.refusal(mail);
            if (dropped.isPresent()) {
                Optional<QuarantineEntry> kept = keep(mail, dropped.get());
                outcomes.milterDecision(mail, "discard", message.client(), dropped.get().label() + ": " + dropped.get().finding(mail),
                    dropped, kept.map(QuarantineEntry::id));
                return Verdict.discard();
            }
            Optional<Category> alerted = passed.refusal(mail);
            Optional<QuarantineEntry> kept = Optional.empty();
            if (alerted.isPresent()) {
                kept = keep(mail, alerted.get());
                CaughtMail.markPassed(mail.getMessage(), alerted.get(), alerted.get().finding(mail), kept);
            }
            spamTags.mark(mail);
            List<MilterPacket> changes = HeaderChanges.between(message.headers(), mail.getMessage());
            outcomes.milterDecision(mail, "accept", message.client(),
                alerted.map(category -> category.label() + " passed").orElse("clean") + ", " + changes.size() + " header changes",
                Optional.empty(), kept.map(QuarantineEntry::id));
            return Verdict.accept(changes);
        } catch (MessagingException | IOException | RuntimeException e) {
            // never let through what could not be scanned
            LOGGER.warn("milter: {} not scanned", message.queueId(), e);
            outcomes.milterDecision(mail, "tempfail", message.client(), NOT_SCANNED + " (" + e.getMessage() + ")",
                Optional.empty(), Optional.empty());
            return Verdict.refuse(NOT_SCANNED);
        } finally {
            mail.dispose();
        }
    }

    private Verdict refuse(Mail mail, ReceivedMessage message, String action, String reply, Optional<Category> category)
            throws MessagingException {
        Optional<QuarantineEntry> kept = Optional.empty();
        if (category.isPresent()) {
            kept = keep(mail, category.get());
        }
        outcomes.milterDecision(mail, action, message.client(), reply, category, kept.map(QuarantineEntry::id));
        return Verdict.refuse(reply);
    }

    private Optional<QuarantineEntry> keep(Mail mail, Category category) throws MessagingException {
        if (!quarantined) {
            return Optional.empty();
        }
        return Optional.of(CaughtMail.keepInQuarantine(quarantine, category, category.finding(mail), mail));
    }

    /** The envelope as a James mail named after Postfix's queue id, without its message yet. */
    private static MailImpl envelope(ReceivedMessage message) {
        List<MailAddress> recipients = new ArrayList<>();
        for (String recipient : message.recipients()) {
            try {
                recipients.add(new MailAddress(recipient));
            } catch (AddressException e) {
                LOGGER.info("milter: {}: recipient <{}> is not an address the scan can use", message.queueId(), recipient);
            }
        }
        return MailImpl.builder().name(message.queueId())
            .sender(sender(message.sender()))
            .addRecipients(recipients)
            .remoteHost(message.client())
            .build();
    }

    private static MaybeSender sender(String address) {
        try {
            return address.isEmpty() ? MaybeSender.nullSender() : MaybeSender.of(new MailAddress(address));
        } catch (AddressException e) {
            return MaybeSender.nullSender();
        }
    }
}
