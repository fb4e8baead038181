package org.maildeck.mailets;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.maildeck.contentfilter.ClamdScanner;
import org.maildeck.contentfilter.ScanInput;
import org.maildeck.contentfilter.SpamdScanner;
import org.maildeck.contentfilter.ScanReport;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.contentfilter.ScannerVerdict;
import org.maildeck.mailets.smtpd.RelayDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a mail over the scanning route, recorded on the mail: the
 * {@code X-Virus-Scanned} header, the verdict attributes of {@link ScanAttributes} and one
 * mail-log line. Shared by the pipeline's {@code ContentFilter} mailet and the SMTP listeners that
 * scan during DATA, so a mail scanned in the session is not scanned again after the queue.
 */
public final class ContentScan {
    static final String SCANNED_HEADER = "X-Virus-Scanned";
    private static final Logger LOG = LoggerFactory.getLogger(ContentScan.class);

    /** What a scanner that gives no verdict (down, refusing, too slow, circuit open) means for the mail. */
    public enum FailurePolicy {
        /** Keep the mail and scan it again later: never delivered unscanned. */
        TEMPFAIL,
        /** Deliver it with {@code X-Virus-Scanned: unchecked} and a warning. */
        PASS;

        public static FailurePolicy parse(String value, String owner) throws MessagingException {
            String policy = value.trim().toLowerCase(Locale.ROOT);
            return switch (policy) {
                case "tempfail" -> TEMPFAIL;
                case "pass" -> PASS;
                default -> throw new MessagingException(owner + " onScannerFailure must be tempfail or pass, not " + value);
            };
        }
    }

    static final String SPAM_STATUS_HEADER = "X-Spam-Status";

    /**
     * @param failurePolicy          for the virus and banned-attachment scanners
     * @param spamFailurePolicy      for spamd, separately (amavisd passes unchecked mail by default)
     * @param spamChecksTrustedMail  whether mail from trusted networks and logged-in clients is scored too
     */
    public record Policy(FailurePolicy failurePolicy, FailurePolicy spamFailurePolicy, boolean spamChecksTrustedMail) {
    }

    private final ScanRoute route;
    private final Policy policy;
    private final DeliveryOutcomes outcomes;

    public ContentScan(ScanRoute route, Policy policy, DeliveryOutcomes outcomes) {
        this.route = route;
        this.policy = policy;
        this.outcomes = outcomes;
    }

    public static boolean alreadyScanned(Mail mail) {
        return ScanAttributes.isScanned(mail);
    }

    /**
     * Scans the mail and records the verdict. With {@link FailurePolicy#TEMPFAIL}, a scanner
     * failure sets only {@link ScanAttributes#FAILURE}: the mail is to be kept and scanned again.
     */
    public void scanAndRecord(Mail mail) throws MessagingException {
        ScanAttributes.clearFailure(mail);
        MimeMessage message = mail.getMessage();
        ScanInput input = () -> {
            try {
                return ContentBytes.open(message);
            } catch (MessagingException e) {
                throw new IOException("cannot read " + mail.getName(), e);
            }
        };
        Optional<String> trusted = RelayDecision.trustedClient(mail);
        if (trusted.isPresent() && !policy.spamChecksTrustedMail()) {
            input = input.skipping(Map.of(SpamdScanner.NAME, "mail from a client " + trusted.get()));
        }
        ScanReport report = route.scan(input);
        outcomes.scanned(mail, report);
        message.removeHeader(SCANNED_HEADER);
        message.removeHeader(SPAM_STATUS_HEADER);
        List<ScannerVerdict.Failed> spamFailures = report.failures().stream().filter(ContentScan::isSpamScanner).toList();
        List<ScannerVerdict.Failed> otherFailures = report.failures().stream().filter(failure -> !isSpamScanner(failure)).toList();
        if ((!otherFailures.isEmpty() && policy.failurePolicy() == FailurePolicy.TEMPFAIL)
                || (!spamFailures.isEmpty() && policy.spamFailurePolicy() == FailurePolicy.TEMPFAIL)) {
            ScanAttributes.recordFailure(mail, failureText(report.failures()));
            return;
        }
        report.of(ClamdScanner.NAME).ifPresent(verdict -> addHeader(message, SCANNED_HEADER, headerValue(verdict)));
        if (!otherFailures.isEmpty()) {
            LOG.warn("{} passed without a complete scan ({}): onScannerFailure=pass", mail.getName(), failureText(otherFailures));
        }
        if (!spamFailures.isEmpty()) {
            addHeader(message, SPAM_STATUS_HEADER, "unchecked");
            outcomes.passedUncheckedForSpam(mail, failureText(spamFailures));
        }
        report.spamScore().ifPresent(scored -> ScanAttributes.recordSpamScore(mail, scored.score(), scored.symbols()));
        Optional<Category> released = ScanAttributes.releasedFrom(mail).flatMap(Category::labelled);
        released.ifPresent(category ->
            LOG.info("{} was released from quarantine: its {} verdict is not applied again", mail.getName(), category.label()));
        report.infection().filter(infected -> released.filter(Category.VIRUS::equals).isEmpty()).ifPresent(infected ->
            ScanAttributes.recordVirus(mail, infected.virus()));
        report.banned().filter(banned -> released.filter(Category.BANNED::equals).isEmpty()).ifPresent(banned ->
            ScanAttributes.recordBanned(mail, banned.part() + ": " + banned.reason()));
        report.of(ClamdScanner.NAME).filter(ScannerVerdict.Unchecked.class::isInstance).map(ScannerVerdict.Unchecked.class::cast)
            .filter(unchecked -> released.filter(Category.UNCHECKED::equals).isEmpty()).ifPresent(unchecked ->
                ScanAttributes.recordUnchecked(mail, unchecked.reason()));
        ScanAttributes.recordScanned(mail, report.verdicts().stream().map(ScannerVerdict::scanner).collect(Collectors.joining(",")));
    }

    private static boolean isSpamScanner(ScannerVerdict verdict) {
        return verdict.scanner().equals(SpamdScanner.NAME);
    }

    private static void addHeader(MimeMessage message, String name, String value) {
        try {
            message.addHeader(name, value);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot add " + name, e);
        }
    }

    private static String headerValue(ScannerVerdict verdict) {
        if (verdict instanceof ScannerVerdict.Clean clean) {
            return "Maildeck (" + clean.engine() + ")";
        }
        if (verdict instanceof ScannerVerdict.Infected infected) {
            return "Maildeck (" + infected.engine() + ")";
        }
        if (verdict instanceof ScannerVerdict.Unchecked unchecked) {
            return "unchecked (" + unchecked.reason() + ")";
        }
        return "unchecked";
    }

    private static String failureText(List<ScannerVerdict.Failed> failures) {
        return failures.stream()
            .map(failure -> failure.scanner() + ": " + failure.reason())
            .collect(Collectors.joining("; "));
    }
}
