package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

/**
 * The recipients the SMTP server agreed to relay when it accepted them: the relay decision is
 * taken once, at RCPT time, by the listener's {@code RelayPolicy} (trusted network, logged-in
 * client, relay domain), which records it in the {@value #ATTRIBUTE_NAME} attribute. Mail
 * without the attribute (from any other source) matches nothing, so the pipeline's own check
 * fails closed.
 */
public class RelayGranted extends GenericMatcher {

    public static final String ATTRIBUTE_NAME = "org.maildeck.relay-granted";
    public static final AttributeName ATTRIBUTE = AttributeName.of(ATTRIBUTE_NAME);

    @Override
    public Collection<MailAddress> match(Mail mail) {
        Set<String> granted = grantedRecipients(mail);
        return mail.getRecipients().stream()
            .filter(recipient -> granted.contains(recipient.asString()))
            .collect(Collectors.toList());
    }

    private static Set<String> grantedRecipients(Mail mail) {
        return mail.getAttribute(ATTRIBUTE)
            .map(attribute -> attribute.getValue().value())
            .filter(List.class::isInstance)
            .map(list -> ((List<?>) list).stream()
                .filter(AttributeValue.class::isInstance)
                .map(value -> ((AttributeValue<?>) value).value())
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .collect(Collectors.toUnmodifiableSet()))
            .orElse(Set.of());
    }
}
