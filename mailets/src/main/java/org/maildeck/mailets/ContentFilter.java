package org.maildeck.mailets;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.contentfilter.ScanRoute;

/**
 * Scans the mail once on the content-filter route (all scanners in parallel, see
 * contentfilter.properties) and records the verdict for the matchers that follow:
 * {@code IsInfected} (attribute {@code org.maildeck.scan.virus}), {@code HasBannedAttachment}
 * ({@code org.maildeck.scan.banned}), {@code IsUnchecked} ({@code org.maildeck.scan.unchecked}: clamd
 * did not look at it, e.g. too large) and {@code ScannerFailed} ({@code org.maildeck.scan.failure}).
 * Adds {@code X-Virus-Scanned: Maildeck (ClamAV 1.4.6)} and logs one line per mail. Mail already
 * scanned (in the SMTP session, or before) is not scanned again. Mail released from quarantine
 * ({@code org.maildeck.scan.released}) is scanned, but the verdict of the category it was
 * released from is not recorded, so the check that caught it lets it pass.
 *
 * <p>Parameter {@code onScannerFailure} (clamd, banned attachments): {@code tempfail} (default):
 * the failure attribute is set, and the pipeline keeps the mail to scan it again later; it is
 * never delivered unscanned. {@code pass}: the mail goes on with {@code X-Virus-Scanned: unchecked}
 * and a warning in the log. Parameter {@code onSpamdFailure}, the same for spamd with the opposite
 * default (amavisd's): {@code pass} delivers with {@code X-Spam-Status: unchecked} and a warning.
 * Parameter {@code spamChecksTrustedMail} (default false): also score mail from trusted networks
 * and logged-in clients.</p>
 */
public class ContentFilter extends GenericMailet {

    private final ScanRoute route;
    private final DeliveryOutcomes outcomes;
    private ContentScan scan;

    @Inject
    public ContentFilter(ScanRoute route, DeliveryOutcomes outcomes) {
        this.route = route;
        this.outcomes = outcomes;
    }

    @Override
    public void init() throws MessagingException {
        scan = new ContentScan(route, new ContentScan.Policy(
            ContentScan.FailurePolicy.parse(getInitParameter("onScannerFailure", "tempfail"), "ContentFilter"),
            ContentScan.FailurePolicy.parse(getInitParameter("onSpamdFailure", "pass"), "ContentFilter"),
            getInitParameter("spamChecksTrustedMail", false)), outcomes);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!ContentScan.alreadyScanned(mail)) {
            scan.scanAndRecord(mail);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck content filter (amavisd-style scanning)";
    }
}
