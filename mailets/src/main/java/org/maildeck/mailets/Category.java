package org.maildeck.mailets;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;

/** A content category the filter can catch, with the words each one is reported in. */
public enum Category {
    VIRUS("virus", ScanAttributes.VIRUS, "%s", "554 5.7.0 Virus found: %s", "INFECTED, message contains virus: %s"),
    BANNED("banned", ScanAttributes.BANNED, "%s", "554 5.7.0 Banned attachment: %s", "BANNED, message contains %s"),
    SPAM("spam", ScanAttributes.SPAM_SCORE, "score=%s", "554 5.7.1 Spam message rejected", "SPAM, %s"),
    /** Not looked at by the virus scanner, e.g. larger than clamd takes (amavisd's CC_UNCHECKED). */
    UNCHECKED("unchecked", ScanAttributes.UNCHECKED, "%s", "554 5.7.0 Message could not be scanned for viruses: %s",
        "UNCHECKED, message not scanned for viruses: %s");

    final String label;
    private final AttributeName finding;
    private final String findingFormat;
    private final String reply;
    private final String alert;

    public String label() {
        return label;
    }

    /** Whether the scan recorded a finding of this category on the mail. */
    public boolean isFoundIn(Mail mail) {
        return StringAttributes.string(mail, finding).isPresent();
    }

    Category(String label, AttributeName finding, String findingFormat, String reply, String alert) {
        this.label = label;
        this.finding = finding;
        this.findingFormat = findingFormat;
        this.reply = reply;
        this.alert = alert;
    }

    public static Category named(String name) throws MessagingException {
        return labelled(name)
            .orElseThrow(() -> new MessagingException("unknown content category '" + name + "' (virus, banned, spam or unchecked)"));
    }

    public static Optional<Category> labelled(String name) {
        String label = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(category -> category.label.equals(label)).findFirst();
    }

    /** What the scan found, e.g. the virus name; mail without a finding should never get here. */
    public String finding(Mail mail) throws MessagingException {
        return StringAttributes.string(mail, finding)
            .map(value -> String.format(Locale.ROOT, findingFormat, value))
            .orElseThrow(() -> new MessagingException(mail.getName() + " has no " + label + " verdict (" + finding.asString() + ")"));
    }

    /** The SMTP reply the session gives, or the notice quotes, e.g. {@code 554 5.7.0 Virus found: Eicar}. */
    public String reply(String finding) {
        return String.format(Locale.ROOT, reply, finding);
    }

    /** The {@code X-Maildeck-Alert} text of passed mail, e.g. {@code INFECTED, message contains virus: Eicar}. */
    public String alert(String finding) {
        return String.format(Locale.ROOT, alert, finding);
    }
}
