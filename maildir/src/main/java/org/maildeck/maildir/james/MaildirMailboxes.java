package org.maildeck.maildir.james;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNameException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.maildeck.maildir.DovecotUidList;
import org.maildeck.maildir.FolderStatus;
import org.maildeck.maildir.IndexEntry;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;

/**
 * James's view of the store's folders: {@link Mailbox} objects for folder names and back, and
 * the folder behind a mailbox id. Remembers which name each id had last, so that lookups by id
 * (every IMAP command on a selected mailbox) do not scan the user's folders.
 */
@Singleton
public final class MaildirMailboxes {

    private final MaildirStore store;
    private final Map<MaildirMailboxId, String> nameById = new ConcurrentHashMap<>();

    @Inject
    public MaildirMailboxes(MaildirStore store) {
        this.store = store;
    }

    public MaildirStore store() {
        return store;
    }

    public Mailbox mailbox(Username owner, String name) throws MailboxException {
        String canonical = canonical(name);
        try {
            DovecotUidList.Identity identity = folder(owner, canonical).identity();
            MaildirMailboxId id = new MaildirMailboxId(identity.guid(), owner);
            nameById.put(id, canonical);
            return new Mailbox(MailboxPath.forUser(owner, canonical), UidValidity.of(identity.uidValidity()), id);
        } catch (IOException e) {
            throw new MailboxException("cannot read folder " + canonical + " of " + owner.asString() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The message a delivery with this key already stored in the owner's folder, if the folder
     * exists and still holds it; a folder that does not exist is not created. {@code olderKey}:
     * see {@link MaildirFolder#earlierDelivery(String, Supplier)}.
     */
    public Optional<IndexEntry> earlierDelivery(Username owner, String name, String key, Supplier<String> olderKey) throws MailboxException {
        String canonical = canonical(name);
        try {
            MaildirFolder folder = folder(owner, canonical);
            boolean mentioned;
            try {
                mentioned = folder.ledgerMentions(key);
            } catch (IOException unreadable) {
                if (!store.exists(owner.asString(), canonical)) {
                    // No folder, so no earlier delivery into it; the delivery itself then names
                    // what stands in the way (a file where the Maildir should be, say).
                    return Optional.empty();
                }
                throw unreadable;
            }
            if (!mentioned) {
                // the usual case, answered without checking the folder's path on disk
                return Optional.empty();
            }
            return store.exists(owner.asString(), canonical) ? folder.earlierDelivery(key, olderKey) : Optional.empty();
        } catch (MaildirLayout.InvalidNameException e) {
            throw new MailboxNameException(e.getMessage());
        } catch (IOException e) {
            throw new MailboxException("cannot read folder " + canonical + " of " + owner.asString() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The STATUS figures of the owner's folder from its index ({@link FolderStatus}), or empty
     * when there is no such folder (or no valid name for one): the caller then answers as James
     * does for a mailbox it cannot find.
     */
    public Optional<FolderStatus> status(Username owner, String name) throws IOException {
        String canonical = canonical(name);
        try {
            if (!store.exists(owner.asString(), canonical)) {
                return Optional.empty();
            }
            return Optional.of(store.folder(owner.asString(), canonical).status());
        } catch (MaildirLayout.InvalidNameException invalid) {
            return Optional.empty();
        }
    }

    /**
     * The STATUS figures of the owner's folder if nothing changed since {@link #status} read them
     * ({@link MaildirFolder#statusIfUnchanged()}): a few stat calls, no wait for the folder's
     * monitor. Empty when they may have changed, or for a folder never read or without a valid
     * name; {@link #status} then tells.
     */
    public Optional<FolderStatus> statusIfUnchanged(Username owner, String name) {
        try {
            return store.heldFolder(owner.asString(), canonical(name)).flatMap(MaildirFolder::statusIfUnchanged);
        } catch (MaildirLayout.InvalidNameException invalid) {
            return Optional.empty();
        }
    }

    /** The name James's mailboxes carry for a folder name: INBOX in any case is INBOX. */
    public static String canonical(String name) {
        return MaildirLayout.isInbox(name) ? MaildirLayout.INBOX : name;
    }

    public MaildirFolder folder(Username owner, String name) throws MailboxException {
        try {
            return store.folder(owner.asString(), name);
        } catch (MaildirLayout.InvalidNameException e) {
            throw new MailboxNameException(e.getMessage());
        }
    }

    public MaildirFolder folder(Mailbox mailbox) throws MailboxException {
        return folder(mailbox.getUser(), mailbox.getName());
    }

    /** The folder's current name, looking through the owner's folders when the id is new to us. */
    public Optional<String> nameOf(MailboxId mailboxId) throws MailboxException {
        if (!(mailboxId instanceof MaildirMailboxId id)) {
            throw new MailboxNotFoundException(mailboxId);
        }
        String known = nameById.get(id);
        if (known != null && store.exists(id.owner().asString(), known)) {
            try {
                if (folder(id.owner(), known).identity().guid().equals(id.guid())) {
                    return Optional.of(known);
                }
            } catch (IOException stale) {
                // fall through to the scan
            }
        }
        try {
            for (String name : store.folderNames(id.owner().asString())) {
                if (folder(id.owner(), name).identity().guid().equals(id.guid())) {
                    nameById.put(id, name);
                    return Optional.of(name);
                }
            }
        } catch (IOException e) {
            throw new MailboxException("cannot list folders of " + id.owner().asString(), e);
        }
        nameById.remove(id);
        return Optional.empty();
    }

    void forget(MailboxId id) {
        nameById.remove(id);
    }
}
