package org.maildeck.maildir.james;

import java.io.IOException;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.SubscriptionException;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.model.Subscription;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;

/**
 * Subscriptions in Dovecot's {@code subscriptions} file, so both servers agree on them. James
 * hands over escaped paths ({@code #private:user:name}); the file holds the owner's folder names,
 * which James reads back as the owner's mailboxes.
 */
public final class MaildirSubscriptionMapper implements SubscriptionMapper {

    private final MaildirStore store;

    MaildirSubscriptionMapper(MaildirStore store) {
        this.store = store;
    }

    @Override
    public void save(Subscription subscription) throws SubscriptionException {
        try {
            store.subscriptions(subscription.getUser().asString()).add(folderName(subscription));
        } catch (IOException | MaildirLayout.InvalidNameException e) {
            throw new SubscriptionException(e);
        }
    }

    private static String folderName(Subscription subscription) {
        return MailboxPath.parseEscaped(subscription.getMailbox())
            .filter(path -> MailboxConstants.USER_NAMESPACE.equals(path.getNamespace()))
            .filter(path -> subscription.getUser().equals(path.getUser()))
            .map(MailboxPath::getName)
            .orElse(subscription.getMailbox());
    }

    @Override
    public List<Subscription> findSubscriptionsForUser(Username user) throws SubscriptionException {
        try {
            return store.subscriptions(user.asString()).read().stream()
                .map(name -> new Subscription(user, name))
                .toList();
        } catch (IOException | MaildirLayout.InvalidNameException e) {
            throw new SubscriptionException(e);
        }
    }

    @Override
    public void delete(Subscription subscription) throws SubscriptionException {
        try {
            store.subscriptions(subscription.getUser().asString()).remove(folderName(subscription));
        } catch (IOException | MaildirLayout.InvalidNameException e) {
            throw new SubscriptionException(e);
        }
    }
}
