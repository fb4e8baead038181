package org.maildeck.mailets.smtpd;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.maildeck.mailets.StringAttributes;

/**
 * What {@link RelayPolicy} decided in the SMTP session, carried on the accepted mail as
 * attributes: the remote recipients it agreed to relay at RCPT time (read by the pipeline's
 * {@code RelayGranted} matcher, so the decision is taken once) and whether the client was
 * trusted (read by {@code ContentScan}: spam checks skip such mail by default). Writers and
 * readers go through the accessors; the names are public for what sees the attributes from
 * outside (a mail repository, a test).
 */
public final class RelayDecision {

    /** The granted recipients: a list of addresses (as {@code AttributeValue}s of strings). */
    public static final AttributeName GRANTED = AttributeName.of("org.maildeck.relay-granted");
    /** How the client was trusted, e.g. {@code logged in as alice@example.com} or {@code in a trusted network}. */
    public static final AttributeName TRUSTED_CLIENT = AttributeName.of("org.maildeck.client.trusted");

    private RelayDecision() {
    }

    static void recordGranted(Mail mail, Collection<MailAddress> recipients) {
        mail.setAttribute(new Attribute(GRANTED, AttributeValue.of(
            recipients.stream().map(MailAddress::asString).map(AttributeValue::of).collect(Collectors.toList()))));
    }

    /** The recipients granted relay; none for mail without the attribute (from any other source) or with one of another type. */
    public static Set<String> grantedRecipients(Mail mail) {
        return StringAttributes.strings(mail, GRANTED).map(Set::copyOf).orElse(Set.of());
    }

    static void recordTrustedClient(Mail mail, String how) {
        mail.setAttribute(new Attribute(TRUSTED_CLIENT, AttributeValue.of(how)));
    }

    /** How the client that sent the mail was trusted, if it was. */
    public static Optional<String> trustedClient(Mail mail) {
        return StringAttributes.string(mail, TRUSTED_CLIENT);
    }
}
