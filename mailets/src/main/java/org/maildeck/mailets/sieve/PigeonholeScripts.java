package org.maildeck.mailets.sieve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
 * <p>The home is written by users (through Dovecot, ManageSieve, a shell), so nothing in it is
 * trusted: the script must resolve, after every symlink, to a regular file inside the home's
 * real path, the home itself must be where the mail root says (not a symlink to elsewhere), and
 * the script is read up to {@code maxBytes} only. Anything else is refused with an
 * {@link UnsafeScriptException}, which delivery treats as a broken script (the mail goes to
 * INBOX).</p>
 *
 * <p>A user without {@code .dovecot.sieve} keeps the script James's WebAdmin route stored in
 * the database (the super class), until ManageSieve writes this layout too.</p>
 */
public class PigeonholeScripts extends ResourceLocator {

    static final String ACTIVE_LINK = ".dovecot.sieve";

    private final MaildirLayout layout;
    private final UsersRepository users;
    private final int maxBytes;

    public PigeonholeScripts(MaildirLayout layout, SieveRepository database, UsersRepository users, int maxBytes) {
        super(database, users);
        this.layout = layout;
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
        Path script = insideHome(home, active);
        BasicFileAttributes link = Files.readAttributes(active, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // Pigeonhole's activation date is the symlink's: vacation :days counts from it in James's action.
        ZonedDateTime activated = link.lastModifiedTime().toInstant().atZone(ZoneOffset.UTC);
        return new UserSieveInformation(activated, ZonedDateTime.now(ZoneOffset.UTC), new ByteArrayInputStream(read(script)));
    }

    /** {@code <mail root>/<domain>/<localpart>}: the directory the Maildir is in. */
    Path home(MailAddress recipient) throws UsersRepositoryException, ScriptNotFoundException {
        Username user = users.getUsername(recipient);
        try {
            return layout.userMaildir(user.asString()).getParent();
        } catch (MaildirLayout.InvalidNameException unusable) {
            throw new ScriptNotFoundException(unusable.getMessage());
        }
    }

    /** The real path of the active script, refused unless it is a regular file inside the real home. */
    private Path insideHome(Path home, Path active) throws IOException {
        Path realHome;
        try {
            realHome = home.toRealPath();
        } catch (NoSuchFileException gone) {
            throw new UnsafeScriptException("home " + home + " is gone");
        }
        if (!realHome.equals(layout.root().toRealPath().resolve(layout.root().relativize(home)))) {
            throw new UnsafeScriptException("home " + home + " leads outside the mail root (to " + realHome + ")");
        }
        Path script;
        try {
            script = active.toRealPath();
        } catch (NoSuchFileException dangling) {
            throw new UnsafeScriptException(ACTIVE_LINK + " points to a missing script");
        }
        if (!script.startsWith(realHome) || script.equals(realHome)) {
            throw new UnsafeScriptException(ACTIVE_LINK + " leads outside the user's home (to " + script + ")");
        }
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeScriptException(ACTIVE_LINK + " does not lead to a regular file");
        }
        return script;
    }

    private byte[] read(Path script) throws IOException {
        try (InputStream in = Files.newInputStream(script, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new UnsafeScriptException("script " + script.getFileName() + " is larger than " + maxBytes + " bytes");
            }
            for (byte b : content) {
                if (b == 0) {
                    throw new UnsafeScriptException("script " + script.getFileName() + " contains a NUL byte");
                }
            }
            return content;
        }
    }

    /** A script that must not be run: outside the home, too large, not text. */
    public static final class UnsafeScriptException extends IOException {
        UnsafeScriptException(String message) {
            super(message);
        }
    }
}
