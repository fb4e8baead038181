package org.maildeck.mailets.smtpd;

import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.ContentScan;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.ScanAttributes;

/**
 * Scans the message at the end of DATA, before the server answers (amavisd-new as a pre-queue
 * proxy), on the listeners whose smtpserver.xml lists this handler. The categories in
 * {@code reject} are refused there and then: {@code 554 5.7.0 Virus found: <name>},
 * {@code 554 5.7.0 Banned attachment: <part>: <rule>} or, for {@code spam} when the score reaches
 * the kill level of every recipient, {@code 554 5.7.1 Spam message rejected}, with a {@code NOQUEUE: reject:} line in
 * the mail log; the sender's server keeps the message and tells its sender. A scanner failure
 * answers {@code 451 4.7.1} with {@code onScannerFailure} at {@code tempfail} (the default), so
 * the client retries later. Anything else is accepted with its verdict recorded, and the
 * pipeline's {@code ContentFilter} does not scan it a second time.
 */
public class ScanDuringData implements JamesMessageHook {

    /** The 451 reply's text when a scanner failed and {@code onScannerFailure} is {@code tempfail}; the milter says the same. */
    public static final String SCANNER_UNAVAILABLE = "4.7.1 Temporary failure: content scanner unavailable, try again later";

    private final ScanRoute route;
    private final SpamLevels levels;
    private final DeliveryOutcomes outcomes;
    private ContentScan scan;
    private EndOfDataRefusals rejects;

    @Inject
    public ScanDuringData(ScanRoute route, SpamLevels levels, DeliveryOutcomes outcomes) {
        this.route = route;
        this.levels = levels;
        this.outcomes = outcomes;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            scan = new ContentScan(route, new ContentScan.Policy(
                ContentScan.FailurePolicy.parse(config.getString("onScannerFailure", "tempfail"), "ScanDuringData"),
                ContentScan.FailurePolicy.parse(config.getString("onSpamdFailure", "pass"), "ScanDuringData"),
                config.getBoolean("spamChecksTrustedMail", false)), outcomes);
            rejects = EndOfDataRefusals.parse(config.getString("reject", "virus"), levels);
        } catch (MessagingException e) {
            throw new ConfigurationException("ScanDuringData: " + e.getMessage(), e);
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (ContentScan.alreadyScanned(mail)) {
            return HookResult.DECLINED;
        }
        try {
            scan.scanAndRecord(mail);
            if (ScanAttributes.failure(mail).isPresent()) {
                return reject(session, mail, SessionReject.temporary("451", SCANNER_UNAVAILABLE));
            }
            Optional<Category> refused = rejects.refusal(mail);
            if (refused.isPresent()) {
                outcomes.refusedInSession(refused.get());
                String reply = refused.get().reply(refused.get().finding(mail));
                return reject(session, mail, SessionReject.permanent(reply.substring(0, 3), reply.substring(4)));
            }
            return HookResult.DECLINED;
        } catch (MessagingException | RuntimeException e) {
            // never accept what could not be scanned
            return reject(session, mail, SessionReject.temporary("451", "4.3.0 Temporary failure: message not scanned (" + e.getMessage() + ")"));
        }
    }

    private static HookResult reject(SMTPSession session, Mail mail, SessionReject refusal) {
        return refusal.log(session, "END-OF-MESSAGE", mail.getMaybeSender(), mail.getRecipients().stream().findFirst());
    }
}
