package org.maildeck.mailets;

import java.util.List;
import java.util.Optional;

import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Reads the mail attributes Maildeck writes as a string or a list of strings. An attribute of
 * another type counts as absent: a mail repository or another mailet may have set the name.
 */
public final class StringAttributes {

    private StringAttributes() {
    }

    public static Optional<String> string(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .map(attribute -> attribute.getValue().value())
            .filter(String.class::isInstance)
            .map(String.class::cast);
    }

    /** The strings of a list attribute, in order; elements of another type are left out. */
    public static Optional<List<String>> strings(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .map(attribute -> attribute.getValue().value())
            .filter(List.class::isInstance)
            .map(list -> ((List<?>) list).stream()
                .filter(AttributeValue.class::isInstance)
                .map(value -> ((AttributeValue<?>) value).value())
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .toList());
    }
}
