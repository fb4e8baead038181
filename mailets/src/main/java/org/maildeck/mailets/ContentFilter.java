package org.maildeck.mailets;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.contentfilter.ClamdScanner;
import org.maildeck.contentfilter.ScanReport;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.contentfilter.ScannerVerdict;
import org.maildeck.matchers.ScanAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans the mail once on the content-filter route (all scanners in parallel, see
 * contentfilter.properties) and records the verdict for the matchers that follow:
 * {@code IsInfected} (attribute {@code org.maildeck.scan.virus}), {@code HasBannedAttachment}
 * ({@code org.maildeck.scan.banned}) and {@code ScannerFailed} ({@code org.maildeck.scan.failure}). Adds {@code X-Virus-Scanned: Maildeck (ClamAV 1.4.6)}
 * and logs one line per mail. Mail already scanned (a verdict recorded) is not scanned again.
 *
 * <p>Parameter {@code onScannerFailure}: what a scanner that gives no verdict (down, refusing,
 * too slow, circuit open) means for the mail. {@code tempfail} (default): the failure attribute
 * is set, and the pipeline keeps the mail to scan it again later; it is never delivered
 * unscanned. {@code pass}: the mail goes on with {@code X-Virus-Scanned: unchecked} and a
 * warning in the log.</p>
 */
public class ContentFilter extends GenericMailet {

    static final String SCANNED_HEADER = "X-Virus-Scanned";
    private static final Logger LOG = LoggerFactory.getLogger(ContentFilter.class);

    private final ScanRoute route;
    private boolean passOnFailure;

    @Inject
    public ContentFilter(ScanRoute route) {
        this.route = route;
    }

    @Override
    public void init() throws MessagingException {
        String policy = getInitParameter("onScannerFailure", "tempfail").trim().toLowerCase(Locale.ROOT);
        if (!policy.equals("tempfail") && !policy.equals("pass")) {
            throw new MessagingException("ContentFilter onScannerFailure must be tempfail or pass, not " + policy);
        }
        passOnFailure = policy.equals("pass");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(ScanAttributes.SCANNED).isPresent()) {
            return;
        }
        mail.removeAttribute(ScanAttributes.FAILURE);
        MimeMessage message = mail.getMessage();
        ScanReport report = route.scan(() -> {
            try {
                return new MimeMessageInputStream(message, true);
            } catch (MessagingException e) {
                throw new IOException("cannot read " + mail.getName(), e);
            }
        });
        message.removeHeader(SCANNED_HEADER);
        MailLog.LOGGER.info("{}: scan: {}, time={}", mail.getName(), summary(report.verdicts()),
            String.format(Locale.ROOT, "%.3f", report.elapsed().toNanos() / 1e9));
        if (!report.failures().isEmpty() && !passOnFailure) {
            mail.setAttribute(new Attribute(ScanAttributes.FAILURE, AttributeValue.of(failureText(report))));
            return;
        }
        report.of(ClamdScanner.NAME).ifPresent(verdict -> addHeader(message, headerValue(verdict)));
        if (!report.failures().isEmpty()) {
            LOG.warn("{} passed without a complete scan ({}): onScannerFailure=pass", mail.getName(), failureText(report));
        }
        report.infection().ifPresent(infected ->
            mail.setAttribute(new Attribute(ScanAttributes.VIRUS, AttributeValue.of(infected.virus()))));
        report.banned().ifPresent(banned ->
            mail.setAttribute(new Attribute(ScanAttributes.BANNED, AttributeValue.of(banned.part() + ": " + banned.reason()))));
        mail.setAttribute(new Attribute(ScanAttributes.SCANNED, AttributeValue.of(
            report.verdicts().stream().map(ScannerVerdict::scanner).collect(Collectors.joining(",")))));
    }

    private static void addHeader(MimeMessage message, String value) {
        try {
            message.addHeader(SCANNED_HEADER, value);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot add " + SCANNED_HEADER, e);
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

    private static String failureText(ScanReport report) {
        return report.failures().stream()
            .map(failure -> failure.scanner() + ": " + failure.reason())
            .collect(Collectors.joining("; "));
    }

    private static String summary(List<ScannerVerdict> verdicts) {
        return verdicts.stream().map(verdict -> verdict.scanner() + "=" + outcome(verdict)).collect(Collectors.joining(", "));
    }

    private static String outcome(ScannerVerdict verdict) {
        if (verdict instanceof ScannerVerdict.Infected infected) {
            return "infected (" + infected.virus() + ")";
        }
        if (verdict instanceof ScannerVerdict.Unchecked unchecked) {
            return "unchecked (" + unchecked.reason() + ")";
        }
        if (verdict instanceof ScannerVerdict.Failed failed) {
            return "failed (" + failed.reason() + ")";
        }
        if (verdict instanceof ScannerVerdict.Banned banned) {
            return "banned (" + banned.part() + ": " + banned.reason() + ")";
        }
        return "clean";
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck content filter (amavisd-style scanning)";
    }
}
