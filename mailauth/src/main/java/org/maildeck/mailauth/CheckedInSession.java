package org.maildeck.mailauth;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.mailets.StringAttributes;

/**
 * The results of the checks {@link DmarcHook} made during the SMTP session, carried on the
 * accepted mail as attributes for {@link DkimVerify} to write into the one
 * Authentication-Results header (without checking the DKIM signatures a second time), and the
 * mark of mail that DMARC sends to the Junk folder ({@link #JUNK}, for the pipeline's
 * {@code HasMailAttribute} matcher).
 */
public final class CheckedInSession {

    /** The DKIM resinfos, a list of strings. */
    public static final AttributeName DKIM = AttributeName.of("org.maildeck.dkim");
    /** The DMARC resinfo, a string. */
    public static final AttributeName DMARC = AttributeName.of("org.maildeck.dmarc");
    /** Present (true) on mail whose DMARC policy sends it to the Junk folder. */
    public static final AttributeName JUNK = AttributeName.of("org.maildeck.dmarc-junk");

    private CheckedInSession() {
    }

    static void recordDkim(Mail mail, List<DkimResult> results) {
        mail.setAttribute(new Attribute(DKIM, AttributeValue.of(results.stream()
            .<AttributeValue<?>>map(result -> AttributeValue.of(result.resinfo())).collect(Collectors.toList()))));
    }

    static void recordDmarc(Mail mail, DmarcResult result) {
        mail.setAttribute(new Attribute(DMARC, AttributeValue.of(result.resinfo())));
    }

    static void markForJunk(Mail mail) {
        mail.setAttribute(new Attribute(JUNK, AttributeValue.of(true)));
    }

    /** The DKIM resinfos found in the session, if the signatures were checked there. */
    static Optional<List<String>> dkim(Mail mail) {
        return StringAttributes.strings(mail, DKIM);
    }

    static Optional<String> dmarc(Mail mail) {
        return StringAttributes.string(mail, DMARC);
    }
}
