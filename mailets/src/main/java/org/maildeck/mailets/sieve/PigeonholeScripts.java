package org.maildeck.mailets.sieve;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.transport.mailets.jsieve.ResourceLocator;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.maildir.MaildirLayout;

/**
 * A user's active Sieve script where Dovecot Pigeonhole keeps it for
 * {@code sieve = file:~/sieve;active=~/.dovecot.sieve}, the home being the Maildir's parent
 * ({@code <mail root>/<domain>/<localpart>/}): the scripts in {@code sieve/NAME.sieve}, the
 * active one named by the symlink {@code .dovecot.sieve} (Pigeonhole writes the relative target
 * {@code sieve/NAME.sieve}; a plain file there is a script too, as Pigeonhole reads it).
 *
 * <p>The home's rules are {@link PigeonholeHome}'s: a script it refuses
 * ({@link PigeonholeHome.UnsafeScriptException}) is a broken script to delivery (the mail goes to
 * INBOX).</p>
 *
 * <p>A user without {@code .dovecot.sieve} keeps the script James's WebAdmin route stored in
 * the database (the super class), until ManageSieve writes this layout too.</p>
 */
public class PigeonholeScripts extends ResourceLocator {

    static final String ACTIVE_LINK = PigeonholeHome.ACTIVE_LINK;

    private final PigeonholeHome homes;
    private final UsersRepository users;
    private final int maxBytes;

    public PigeonholeScripts(MaildirLayout layout, SieveRepository database, UsersRepository users, int maxBytes) {
        super(database, users);
        this.homes = new PigeonholeHome(layout);
        this.users = users;
        this.maxBytes = maxBytes;
    }

    @Override
    public UserSieveInformation get(MailAddress recipient) throws Exception {
        Path home = home(recipient);
        Path active = home.resolve(ACTIVE_LINK);
        if (!Files.exists(active, LinkOption.NOFOLLOW_LINKS)) {
            return super.get(recipient);
        }
        Path script = PigeonholeHome.scriptInside(homes.realHome(home), active, ACTIVE_LINK);
        BasicFileAttributes link = Files.readAttributes(active, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // Pigeonhole's activation date is the symlink's: vacation :days counts from it in James's action.
        ZonedDateTime activated = link.lastModifiedTime().toInstant().atZone(ZoneOffset.UTC);
        return new UserSieveInformation(activated, ZonedDateTime.now(ZoneOffset.UTC), new ByteArrayInputStream(PigeonholeHome.read(script, maxBytes)));
    }

    /** {@code <mail root>/<domain>/<localpart>}: the directory the Maildir is in. */
    Path home(MailAddress recipient) throws UsersRepositoryException, ScriptNotFoundException {
        Username user = users.getUsername(recipient);
        try {
            return homes.of(user.asString());
        } catch (MaildirLayout.InvalidNameException unusable) {
            throw new ScriptNotFoundException(unusable.getMessage());
        }
    }
}
