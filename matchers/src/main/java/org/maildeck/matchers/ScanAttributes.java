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
    /** Why no complete verdict could be made (a scanner down, timed out or its circuit open). */
    public static final AttributeName FAILURE = AttributeName.of("org.maildeck.scan.failure");
    /** Set once the mail was scanned (with the scanners' names), so nothing is scanned twice. */
    public static final AttributeName SCANNED = AttributeName.of("org.maildeck.scan.done");
    /**
     * On mail an admin released from quarantine: the category that caught it ({@code virus},
     * {@code banned}), whose verdict the content filter then does not apply again.
     */
    public static final AttributeName RELEASED = AttributeName.of("org.maildeck.scan.released");

    private ScanAttributes() {
    }

    public static Optional<String> text(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .map(attribute -> attribute.getValue().value())
            .filter(String.class::isInstance)
            .map(String.class::cast);
    }
}
