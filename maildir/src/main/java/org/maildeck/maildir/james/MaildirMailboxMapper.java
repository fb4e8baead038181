package org.maildeck.maildir.james;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.acl.ACLDiff;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNameException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.exception.UnsupportedRightException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.MaildirStore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Folders as James mailboxes. Only private mailboxes exist (a Maildir has no shared namespace)
 * and the owner has every right: the store keeps no ACLs, so changing one is refused.
 */
public final class MaildirMailboxMapper implements MailboxMapper {

    private final MaildirMailboxes mailboxes;
    private final MaildirStore store;

    MaildirMailboxMapper(MaildirMailboxes mailboxes) {
        this.mailboxes = mailboxes;
        this.store = mailboxes.store();
    }

    @Override
    public Mono<Mailbox> create(MailboxPath path, UidValidity uidValidity) {
        return blocking(() -> {
            requirePrivate(path);
            String owner = path.getUser().asString();
            try {
                store.create(owner, path.getName(), uidValidity.asLong());
            } catch (FileAlreadyExistsException exists) {
                throw new MailboxExistsException(path.asString());
            } catch (MaildirLayout.InvalidNameException invalid) {
                throw new MailboxNameException(invalid.getMessage());
            } catch (IOException e) {
                throw new MailboxException("cannot create " + path.asString() + ": " + e.getMessage(), e);
            }
            return mailboxes.mailbox(path.getUser(), path.getName());
        });
    }

    @Override
    public Mono<MailboxId> rename(Mailbox mailbox) {
        return blocking(() -> {
            requirePrivate(mailbox.generateAssociatedPath());
            String oldName = mailboxes.nameOf(mailbox.getMailboxId())
                .orElseThrow(() -> new MailboxNotFoundException(mailbox.getMailboxId()));
            try {
                store.rename(mailbox.getUser().asString(), oldName, mailbox.getName());
            } catch (FileAlreadyExistsException exists) {
                throw new MailboxExistsException(mailbox.getName());
            } catch (MaildirLayout.InvalidNameException invalid) {
                throw new MailboxNameException(invalid.getMessage());
            } catch (IOException e) {
                throw new MailboxException("cannot rename " + oldName + " to " + mailbox.getName() + ": " + e.getMessage(), e);
            }
            return mailboxes.mailbox(mailbox.getUser(), mailbox.getName()).getMailboxId();
        });
    }

    @Override
    public Mono<Void> delete(Mailbox mailbox) {
        return blocking(() -> {
            try {
                store.delete(mailbox.getUser().asString(), mailbox.getName());
            } catch (IOException e) {
                throw new MailboxException("cannot delete " + mailbox.getName() + ": " + e.getMessage(), e);
            }
            mailboxes.forget(mailbox.getMailboxId());
            return true;
        }).then();
    }

    @Override
    public Mono<Mailbox> findMailboxByPath(MailboxPath path) {
        return blocking(() -> {
            if (!isPrivate(path) || path.getUser() == null) {
                return null;
            }
            try {
                if (!store.exists(path.getUser().asString(), path.getName())) {
                    return null;
                }
            } catch (MaildirLayout.InvalidNameException invalid) {
                return null;
            }
            return mailboxes.mailbox(path.getUser(), path.getName());
        });
    }

    @Override
    public Mono<Mailbox> findMailboxById(MailboxId mailboxId) {
        return blocking(() -> {
            MaildirMailboxId id = (MaildirMailboxId) mailboxId;
            String name = mailboxes.nameOf(id).orElseThrow(() -> new MailboxNotFoundException(mailboxId));
            return mailboxes.mailbox(id.owner(), name);
        });
    }

    @Override
    public Flux<Mailbox> findNonPersonalMailboxes(Username userName, MailboxACL.Right right) {
        return Flux.empty();
    }

    @Override
    public Flux<Mailbox> findMailboxWithPathLike(MailboxQuery.UserBound query) {
        return LeafCalls.of(() -> {
            List<Mailbox> found = new ArrayList<>();
            if (!MailboxConstants.USER_NAMESPACE.equals(query.getFixedNamespace())) {
                return found;
            }
            Username owner = query.getFixedUser();
            for (String name : folderNames(owner)) {
                MailboxPath path = MailboxPath.forUser(owner, name);
                if (query.isPathMatch(path)) {
                    found.add(mailboxes.mailbox(owner, name));
                }
            }
            return found;
        }).flatMapIterable(list -> list);
    }

    private List<String> folderNames(Username owner) throws MailboxException {
        try {
            return store.folderNames(owner.asString());
        } catch (MaildirLayout.InvalidNameException invalid) {
            return List.of();
        } catch (IOException e) {
            throw new MailboxException("cannot list folders of " + owner.asString(), e);
        }
    }

    @Override
    public Mono<Boolean> hasChildren(Mailbox mailbox, char delimiter) {
        return blocking(() -> {
            String prefix = mailbox.getName() + delimiter;
            return folderNames(mailbox.getUser()).stream().anyMatch(name -> name.startsWith(prefix));
        });
    }

    @Override
    public Mono<ACLDiff> updateACL(Mailbox mailbox, MailboxACL.ACLCommand command) {
        return Mono.error(new UnsupportedRightException(MailboxACL.Right.Administer));
    }

    @Override
    public Mono<ACLDiff> setACL(Mailbox mailbox, MailboxACL acl) {
        return Mono.error(new UnsupportedRightException(MailboxACL.Right.Administer));
    }

    @Override
    public Flux<Mailbox> list() {
        return LeafCalls.of(() -> {
            List<Mailbox> all = new ArrayList<>();
            for (String user : store.users()) {
                Username owner = Username.of(user);
                for (String name : folderNames(owner)) {
                    all.add(mailboxes.mailbox(owner, name));
                }
            }
            return all;
        }).flatMapIterable(list -> list);
    }

    private static boolean isPrivate(MailboxPath path) {
        return MailboxConstants.USER_NAMESPACE.equals(path.getNamespace());
    }

    private static void requirePrivate(MailboxPath path) throws MailboxException {
        if (!isPrivate(path) || path.getUser() == null) {
            throw new MailboxNameException("only private mailboxes exist in a Maildir: " + path.asString());
        }
    }

    interface Blocking<T> {
        T call() throws Exception;
    }

    static <T> Mono<T> blocking(Blocking<T> call) {
        return LeafCalls.of(call::call);
    }
}
