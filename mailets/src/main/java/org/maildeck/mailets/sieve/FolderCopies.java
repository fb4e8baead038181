package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The folders a recipient gets a copy in besides the one of the {@code StorageDirective}
 * ({@code DeliveryPath_<user>}, which holds one folder): a Sieve {@code fileinto :copy}, a
 * second {@code fileinto}, a {@code fileinto} beside a {@code keep}. {@code MaildirDelivery}
 * stores the mail into each of them too, each under the folder's delivery ledger.
 */
public final class FolderCopies {

    static final String PREFIX = "SieveCopies_";

    private FolderCopies() {
    }

    static AttributeName name(Username user) {
        return AttributeName.of(PREFIX + user.asString());
    }

    /** The folders the user's copies go to besides the directive's, in the order the scripts filed them. */
    public static List<String> of(Mail mail, Username user) {
        Optional<Attribute> attribute = mail.getAttribute(name(user));
        List<String> folders = new ArrayList<>();
        attribute.ifPresent(found -> {
            if (found.getValue().value() instanceof List<?> values) {
                for (Object value : values) {
                    if (value instanceof AttributeValue<?> folder && folder.value() instanceof String name) {
                        folders.add(name);
                    }
                }
            }
        });
        return folders;
    }

    static void add(Mail mail, Username user, List<String> folders) {
        if (folders.isEmpty()) {
            return;
        }
        List<AttributeValue<?>> values = new ArrayList<>();
        of(mail, user).forEach(folder -> values.add(AttributeValue.of(folder)));
        folders.forEach(folder -> values.add(AttributeValue.of(folder)));
        mail.setAttribute(new Attribute(name(user), AttributeValue.of(values)));
    }
}
