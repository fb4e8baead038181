package org.maildeck.mailets.sieve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.maildeck.maildir.MaildirLayout;

/**
 * The rules of a user's Sieve home as Dovecot Pigeonhole lays it out for
 * {@code sieve = file:~/sieve;active=~/.dovecot.sieve}, the home being the Maildir's parent
 * ({@code <mail root>/<domain>/<localpart>/}): the scripts in {@code sieve/NAME.sieve}, the active
 * one named by the symlink {@code .dovecot.sieve -> sieve/NAME.sieve}. Delivery
 * ({@link PigeonholeScripts}) reads it, ManageSieve and the admin commands
 * ({@link PigeonholeSieveRepository}) write it; both go through here.
 *
 * <p>The home is written by users (through Dovecot, ManageSieve, a shell), so nothing in it is
 * trusted: the home must be where the mail root says (no symlink on the way), a script must
 * resolve, after every symlink, to a regular file inside the home's real path, and it is read up
 * to a size limit only. Anything else is an {@link UnsafeScriptException}.</p>
 */
public final class PigeonholeHome {

    public static final String ACTIVE_LINK = ".dovecot.sieve";
    public static final String SCRIPTS = "sieve";
    public static final String EXTENSION = ".sieve";
    /** Pigeonhole's {@code SIEVE_MAX_SCRIPT_NAME_LEN}. */
    static final int MAX_NAME_LENGTH = 256;

    private final MaildirLayout layout;

    public PigeonholeHome(MaildirLayout layout) {
        this.layout = layout;
    }

    /** {@code <mail root>/<domain>/<localpart>}, refused for a user name the Maildir layout cannot use. */
    public Path of(String username) {
        return layout.userMaildir(username).getParent();
    }

    /** The home's real path, refused unless it is where the mail root says (no symlink on the way). */
    public Path realHome(Path home) throws IOException {
        Path realHome;
        try {
            realHome = home.toRealPath();
        } catch (NoSuchFileException gone) {
            throw new UnsafeScriptException("home " + home + " is gone");
        }
        if (!realHome.equals(layout.root().toRealPath().resolve(layout.root().relativize(home)))) {
            throw new UnsafeScriptException("home " + home + " leads outside the mail root (to " + realHome + ")");
        }
        return realHome;
    }

    /**
     * Creates the home where it is missing, one directory at a time below the mail root, refusing
     * a symlink on the way: a planted link must not make us create anything outside.
     */
    public Path createHome(Path home) throws IOException {
        Path root = layout.root();
        Path at = root;
        for (Path part : root.relativize(home)) {
            at = at.resolve(part);
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(at);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another writer made it: checked below like any
                }
            }
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeScriptException(at + " is not a directory (a symlink?)");
            }
        }
        return realHome(home);
    }

    /** The real path of {@code path}, refused unless it is a regular file inside {@code realHome}. */
    public static Path scriptInside(Path realHome, Path path, String what) throws IOException {
        Path script;
        try {
            script = path.toRealPath();
        } catch (NoSuchFileException dangling) {
            throw new UnsafeScriptException(what + " points to a missing script");
        }
        if (!script.startsWith(realHome) || script.equals(realHome)) {
            throw new UnsafeScriptException(what + " leads outside the user's home (to " + script + ")");
        }
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
            throw new UnsafeScriptException(what + " does not lead to a regular file");
        }
        return script;
    }

    /** The script's bytes, refused above {@code maxBytes} or with a NUL (not a text Pigeonhole would run). */
    public static byte[] read(Path script, int maxBytes) throws IOException {
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

    /**
     * A script name as Pigeonhole accepts it ({@code sieve_script_name_is_valid}), and one that
     * stays a single file name in {@code sieve/}: no {@code /}, no NUL or other control character,
     * not empty, not starting with a dot ({@code ..}, and the temporary files), at most 256
     * characters. Returns why not, or null.
     */
    public static String whyInvalid(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH
                || name.getBytes(StandardCharsets.UTF_8).length + EXTENSION.length() > 255) {
            return "the name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.startsWith(".")) {
            return "the name starts with a dot";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return "the name contains a slash";
            }
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "the name contains a control character";
            }
        }
        return null;
    }

    /** A script that must not be run or written: outside the home, too large, not text. */
    public static final class UnsafeScriptException extends IOException {
        UnsafeScriptException(String message) {
            super(message);
        }
    }
}
