package org.maildeck.mailets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Why each recipient's last delivery attempt failed, carried on the mail (through the queues,
 * across retries) to the notice that may end it ({@link DeliveryStatusNotice}): the receiving
 * server's reply to that recipient, or the server's own reason with its status. James keeps only
 * one reason per mail ({@code delivery-error}), and after the last retry not even that one, only
 * "Too many retries".
 */
public final class RecipientFailures {

    static final AttributeName ATTRIBUTE = AttributeName.of("org.maildeck.delivery.recipient-failures");

    private RecipientFailures() {
    }

    /** {@code recipient} failed; a later attempt's failure replaces an earlier one. */
    public static void record(Mail mail, String recipient, DeliveryFailure failure) {
        Map<String, AttributeValue<?>> failures = new LinkedHashMap<>(all(mail));
        failures.put(recipient, AttributeValue.of(failure.encoded()));
        mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(failures)));
    }

    public static Optional<DeliveryFailure> of(Mail mail, MailAddress recipient) {
        return Optional.ofNullable(all(mail).get(recipient.asString()))
            .map(AttributeValue::value)
            .filter(String.class::isInstance)
            .map(String.class::cast)
            .map(DeliveryFailure::decode);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> all(Mail mail) {
        return mail.getAttribute(ATTRIBUTE)
            .map(attribute -> attribute.getValue().value())
            .filter(Map.class::isInstance)
            .map(map -> (Map<String, AttributeValue<?>>) map)
            .orElse(Map.of());
    }
}
