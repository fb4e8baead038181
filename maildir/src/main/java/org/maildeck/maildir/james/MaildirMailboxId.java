package org.maildeck.maildir.james;

import java.util.Objects;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxId;

/**
 * A folder's identity: its owner and the GUID in its {@code dovecot-uidlist} header. The GUID
 * travels with the folder directory when it is renamed, like Dovecot's mailbox GUID.
 */
public final class MaildirMailboxId implements MailboxId {

    private static final char SEPARATOR = ':';

    private final String guid;
    private final Username owner;

    public MaildirMailboxId(String guid, Username owner) {
        this.guid = Objects.requireNonNull(guid);
        this.owner = Objects.requireNonNull(owner);
    }

    public String guid() {
        return guid;
    }

    public Username owner() {
        return owner;
    }

    @Override
    public String serialize() {
        return guid + SEPARATOR + owner.asString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MaildirMailboxId id && id.guid.equals(guid) && id.owner.equals(owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(guid, owner);
    }

    @Override
    public String toString() {
        return serialize();
    }

    public static final class Factory implements MailboxId.Factory {
        @Override
        public MailboxId fromString(String serialized) {
            int separator = serialized.indexOf(SEPARATOR);
            if (separator <= 0 || separator == serialized.length() - 1) {
                throw new IllegalArgumentException("not a Maildir mailbox id: " + serialized);
            }
            return new MaildirMailboxId(serialized.substring(0, separator), Username.of(serialized.substring(separator + 1)));
        }
    }
}
