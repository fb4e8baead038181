package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.beetstra.jutf7.CharsetProvider;

/**
 * Where a user's mail lives and how folder names become directory names, Dovecot 2.3's way:
 * {@code <root>/<domain>/<localpart>/Maildir/}, INBOX in that directory itself, every other folder
 * {@code .Name} beside it with {@code .} between hierarchy levels (Maildir++) and the name in
 * modified UTF-7 ({@code Entwürfe} is {@code .Entw&APw-rfe}).
 *
 * <p>Every name that could reach outside the user's Maildir, or that Dovecot would not read back
 * as the same folder, is refused here, before anything touches the disk.</p>
 */
public final class MaildirLayout {

    public static final char SEPARATOR = '.';
    public static final String INBOX = "INBOX";
    /** Longest directory name most file systems take. */
    private static final int MAX_DIRECTORY_NAME_BYTES = 255;
    private static final Set<String> RESERVED = Set.of("cur", "new", "tmp");
    /** Compiled once: every delivery maps its recipient to a directory. */
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Charset MODIFIED_UTF7 = new CharsetProvider().charsetForName("X-MODIFIED-UTF-7");

    private final Path root;

    public MaildirLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The user's Maildir for {@code localpart@domain}. */
    public Path userMaildir(String username) {
        int at = username.lastIndexOf('@');
        if (at <= 0 || at == username.length() - 1) {
            throw new InvalidNameException("user " + printable(username) + " has no domain; Maildir paths are <domain>/<localpart>");
        }
        String localPart = username.substring(0, at).toLowerCase(Locale.ROOT);
        String domain = username.substring(at + 1).toLowerCase(Locale.ROOT);
        checkDomain(domain);
        checkLocalPart(localPart);
        Path maildir = root.resolve(domain).resolve(localPart).resolve("Maildir").normalize();
        if (!maildir.startsWith(root) || maildir.getNameCount() != root.getNameCount() + 3) {
            throw new InvalidNameException("user " + printable(username) + " does not map inside the mail root");
        }
        return maildir;
    }

    private static void checkDomain(String domain) {
        if (domain.length() > 253 || !HOST_NAME.matcher(domain).matches()) {
            throw new InvalidNameException("domain " + printable(domain) + " is not a valid host name");
        }
    }

    private static void checkLocalPart(String localPart) {
        if (localPart.isEmpty() || localPart.length() > 64 || localPart.startsWith(".")
            || localPart.contains("/") || localPart.contains("\\") || hasControl(localPart)) {
            throw new InvalidNameException("local part " + printable(localPart) + " cannot be a directory name");
        }
    }

    /** The folder's directory: the Maildir itself for INBOX, {@code .<encoded name>} otherwise. */
    public Path folderDirectory(Path maildir, String folderName) {
        if (isInbox(folderName)) {
            return maildir;
        }
        checkFolderName(folderName);
        String directoryName = SEPARATOR + encode(folderName);
        if (directoryName.getBytes(US_ASCII).length > MAX_DIRECTORY_NAME_BYTES) {
            throw new InvalidNameException("folder name is too long");
        }
        Path directory = maildir.resolve(directoryName).normalize();
        if (!maildir.equals(directory.getParent())) {
            throw new InvalidNameException("folder " + printable(folderName) + " does not map inside the Maildir");
        }
        return directory;
    }

    public static boolean isInbox(String folderName) {
        return folderName.equalsIgnoreCase(INBOX);
    }

    /** The folder a directory beside INBOX holds, or empty when the directory is not a folder we read. */
    public Optional<String> folderNameOf(String directoryName) {
        if (directoryName.length() < 2 || directoryName.charAt(0) != SEPARATOR || directoryName.equals("..")) {
            return Optional.empty();
        }
        try {
            String name = decode(directoryName.substring(1));
            checkFolderName(name);
            // Only the directory this layout would choose for the name: no second INBOX, no
            // alternative spelling of another folder's name.
            if (isInbox(name) || !(SEPARATOR + encode(name)).equals(directoryName)) {
                return Optional.empty();
            }
            return Optional.of(name);
        } catch (InvalidNameException | CharacterCodingException unusable) {
            return Optional.empty();
        }
    }

    public static void checkFolderName(String name) {
        if (name.isEmpty()) {
            throw new InvalidNameException("empty folder name");
        }
        if (name.length() > MAX_DIRECTORY_NAME_BYTES) {
            throw new InvalidNameException("folder name is too long");
        }
        if (hasControl(name) || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw new InvalidNameException("folder name contains a control character, / or \\");
        }
        if (name.indexOf('%') >= 0 || name.indexOf('*') >= 0) {
            throw new InvalidNameException("folder name contains an IMAP wildcard (% or *)");
        }
        // what IMAP's decoder makes of a name that is not valid modified UTF-7 (RFC 3501 5.1.3)
        if (name.indexOf('\uFFFD') >= 0) {
            throw new InvalidNameException("folder name is not valid modified UTF-7");
        }
        if (name.startsWith("~")) {
            throw new InvalidNameException("folder name starts with ~");
        }
        for (String level : name.split("\\.", -1)) {
            if (level.isEmpty()) {
                throw new InvalidNameException("folder name has an empty level (leading, trailing or doubled '.')");
            }
            if (RESERVED.contains(level.toLowerCase(Locale.ROOT))) {
                throw new InvalidNameException("folder name uses a Maildir directory name (cur, new, tmp)");
            }
        }
    }

    public static String encode(String name) {
        ByteBuffer bytes = MODIFIED_UTF7.encode(name);
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return new String(out, US_ASCII);
    }

    public static String decode(String encoded) throws CharacterCodingException {
        CharBuffer chars = MODIFIED_UTF7.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(encoded.getBytes(US_ASCII)));
        return chars.toString();
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String value) {
        return value.replaceAll("\\p{Cntrl}", "?");
    }

    /** Symlinks inside a Maildir could point anywhere: they are never followed. */
    public static void refuseSymlink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException(path + " is a symbolic link; refusing to follow it");
        }
    }

    /** A directory we may use: exists, is a directory, and is not reached through a symlink below the root. */
    public boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    public static final class InvalidNameException extends IllegalArgumentException {
        public InvalidNameException(String message) {
            super(message);
        }
    }
}
