package org.maildeck.mailets;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The content filter's verdict on a mail, as mail attributes: written once by {@link ContentScan}
 * (the pipeline's {@code ContentFilter} mailet, or the SMTP listener that scans during DATA), read
 * by the matchers that route the mail ({@code IsInfected}, {@code ScannerFailed}, {@code SpamLevel},
 * ...) and by {@link Category}. Writers and readers go through the accessors below; the names
 * are public for what sees the attributes from outside (a mail repository, a test).
 */
public final class ScanAttributes {

    /** The virus name when a scanner found one. */
    public static final AttributeName VIRUS = AttributeName.of("org.maildeck.scan.virus");
    /** The banned part and the rule it broke, e.g. {@code files.zip/setup.exe: name matches *.exe}. */
    public static final AttributeName BANNED = AttributeName.of("org.maildeck.scan.banned");
    /**
     * Why the virus scanner did not look at the mail although it works, e.g. {@code larger than
     * clamd's StreamMaxLength (26214400 bytes)}: such mail has its own destiny, never delivery by default.
     */
    public static final AttributeName UNCHECKED = AttributeName.of("org.maildeck.scan.unchecked");
    /** Why no complete verdict could be made (a scanner down, timed out or its circuit open). */
    public static final AttributeName FAILURE = AttributeName.of("org.maildeck.scan.failure");
    /** spamd's score, e.g. {@code 1003.3}, when it scored the mail. */
    public static final AttributeName SPAM_SCORE = AttributeName.of("org.maildeck.scan.spam.score");
    /** The SpamAssassin rules that hit, comma-separated, e.g. {@code GTUBE,MISSING_DATE}. */
    public static final AttributeName SPAM_SYMBOLS = AttributeName.of("org.maildeck.scan.spam.symbols");
    /** Set once the mail was scanned (with the scanners' names), so nothing is scanned twice. */
    public static final AttributeName SCANNED = AttributeName.of("org.maildeck.scan.done");
    /**
     * On mail an admin released from quarantine: the category that caught it ({@code virus},
     * {@code banned}, {@code spam}), whose verdict the content filter then does not apply again.
     */
    public static final AttributeName RELEASED = AttributeName.of("org.maildeck.scan.released");

    private ScanAttributes() {
    }

    public static Optional<String> virus(Mail mail) {
        return StringAttributes.string(mail, VIRUS);
    }

    public static void recordVirus(Mail mail, String virus) {
        set(mail, VIRUS, virus);
    }

    public static Optional<String> banned(Mail mail) {
        return StringAttributes.string(mail, BANNED);
    }

    public static void recordBanned(Mail mail, String partAndRule) {
        set(mail, BANNED, partAndRule);
    }

    public static Optional<String> unchecked(Mail mail) {
        return StringAttributes.string(mail, UNCHECKED);
    }

    public static void recordUnchecked(Mail mail, String reason) {
        set(mail, UNCHECKED, reason);
    }

    public static Optional<String> failure(Mail mail) {
        return StringAttributes.string(mail, FAILURE);
    }

    public static void recordFailure(Mail mail, String reason) {
        set(mail, FAILURE, reason);
    }

    /** A new scan starts without the failure of the last one. */
    public static void clearFailure(Mail mail) {
        mail.removeAttribute(FAILURE);
    }

    /** The spam score, when spamd gave one. */
    public static Optional<Double> spamScore(Mail mail) {
        return StringAttributes.string(mail, SPAM_SCORE).map(Double::parseDouble);
    }

    /** The score as the headers and the log show it (one decimal), and the rules that hit. */
    public static void recordSpamScore(Mail mail, double score, List<String> symbols) {
        set(mail, SPAM_SCORE, String.format(Locale.ROOT, "%.1f", score));
        set(mail, SPAM_SYMBOLS, String.join(",", symbols));
    }

    /** The rules that hit, comma-separated, as recorded. */
    public static Optional<String> spamSymbols(Mail mail) {
        return StringAttributes.string(mail, SPAM_SYMBOLS);
    }

    public static boolean isScanned(Mail mail) {
        return mail.getAttribute(SCANNED).isPresent();
    }

    /** The mail was scanned by {@code scanners} (comma-separated names). */
    public static void recordScanned(Mail mail, String scanners) {
        set(mail, SCANNED, scanners);
    }

    /** The category whose quarantine an admin released the mail from. */
    public static Optional<String> releasedFrom(Mail mail) {
        return StringAttributes.string(mail, RELEASED);
    }

    /** The attribute that marks mail released from the quarantine of {@code category}, for the mail being rebuilt. */
    public static Attribute releasedFrom(String category) {
        return new Attribute(RELEASED, AttributeValue.of(category));
    }

    private static void set(Mail mail, AttributeName name, String value) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
    }
}
