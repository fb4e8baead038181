package org.maildeck.matchers;

import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;

/**
 * The content filter's verdict on a mail, as mail attributes: written once by the
 * {@code ContentFilter} mailet, read by the matchers that route the mail.
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
    /**
     * Set by the SMTP listener on mail from a trusted network or a logged-in client (how it was
     * trusted, e.g. {@code logged in as alice@example.com}): spam checks skip such mail by default.
     */
    public static final AttributeName TRUSTED_CLIENT = AttributeName.of("org.maildeck.client.trusted");
    /** spamd's score, e.g. {@code 1003.3}, when it scored the mail. */
    public static final AttributeName SPAM_SCORE = AttributeName.of("org.maildeck.scan.spam.score");
    /** The SpamAssassin rules that hit, comma-separated, e.g. {@code GTUBE,MISSING_DATE}. */
    public static final AttributeName SPAM_SYMBOLS = AttributeName.of("org.maildeck.scan.spam.symbols");
    /** Set once the mail was scanned (with the scanners' names), so nothing is scanned twice. */
    public static final AttributeName SCANNED = AttributeName.of("org.maildeck.scan.done");
    /**
     * On mail an admin released from quarantine: the category that caught it ({@code virus},
     * {@code banned}), whose verdict the content filter then does not apply again.
     */
    public static final AttributeName RELEASED = AttributeName.of("org.maildeck.scan.released");

    private ScanAttributes() {
    }

    /** The spam score, when spamd gave one. */
    public static Optional<Double> spamScore(Mail mail) {
        return text(mail, SPAM_SCORE).map(Double::parseDouble);
    }

    public static Optional<String> text(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .map(attribute -> attribute.getValue().value())
            .filter(String.class::isInstance)
            .map(String.class::cast);
    }
}
