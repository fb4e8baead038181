package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.maildeck.adminaccess.AdminToken;

/**
 * The admin tokens this OS user's commands signed in the last minutes, kept for the next
 * commands, as ssh's ControlMaster keeps a session: the RSA signature (with the signing library
 * it loads) is a third of a short command's CPU (bench/README.md, "bench/admin-command").
 *
 * <p>Why this is as safe as signing every time: a token is kept in a folder only its user may
 * enter ({@code $XDG_RUNTIME_DIR/maildeck}, a tmpfs, else {@code ~/.cache/maildeck}; mode 700,
 * owned by the user, or it is not used) in a file only they may read, and the user is one who
 * could read the admin key and sign any token anyway. A command still reads the key file every
 * time and reuses only a token of that very key (its digest names the file) and of the same
 * admin name, so that an admin who lost the right to read the key is refused as before, and a
 * new key makes the old tokens useless. WebAdmin checks a reused token as any other (signature,
 * expiry); its lifetime is still {@link AdminToken#LIFETIME} from its signing, and it is reused
 * only while {@link #LEFT_AT_LEAST} of that remains, so a command's requests never carry one that
 * expires on the way.</p>
 */
final class RecentAdminTokens {
    static final Duration LEFT_AT_LEAST = Duration.ofMinutes(2);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Pattern EXPIRY = Pattern.compile("\"exp\":(\\d+)[,}]");
    private static final String PREFIX = "admin-token-";

    private final Path folder;

    RecentAdminTokens(Path folder) {
        this.folder = folder;
    }

    /** The folder of the user who runs the command. */
    static RecentAdminTokens ofThisUser() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return new RecentAdminTokens(Path.of(runtime, "maildeck"));
        }
        return new RecentAdminTokens(Path.of(System.getProperty("user.home"), ".cache", "maildeck"));
    }

    /** A token of this key and admin that is valid for at least {@link #LEFT_AT_LEAST} more. */
    Optional<String> find(byte[] keyFile, String admin, Instant now) {
        try {
            if (!ownersOnly(folder)) {
                return Optional.empty();
            }
            Path file = folder.resolve(name(keyFile, admin));
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String token = Files.readString(file, US_ASCII).trim();
            return stillValid(token, now) ? Optional.of(token) : Optional.empty();
        } catch (IOException | RuntimeException unusable) {
            return Optional.empty();
        }
    }

    /** Keeps {@code token} for the next commands (quietly not, where the folder cannot be had). */
    void keep(byte[] keyFile, String admin, String token, Instant now) {
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder.getParent());
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            if (!ownersOnly(folder)) {
                return;
            }
            forgetExpired(now);
            Path file = folder.resolve(name(keyFile, admin));
            Path temporary = folder.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token, US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException notKept) {
            // the next command signs its own
        }
    }

    /** A folder this process's user owns and no one else may enter. */
    private static boolean ownersOnly(Path folder) throws IOException {
        if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Object owner = Files.getAttribute(folder, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return owner.equals(self) && Files.getPosixFilePermissions(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
    }

    /** Signed at most {@link AdminToken#LIFETIME} ago, so its expiry is within that from now. */
    static boolean stillValid(String token, Instant now) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        Matcher expiry = EXPIRY.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), US_ASCII));
        if (!expiry.find()) {
            return false;
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(expiry.group(1)));
        return !expires.isBefore(now.plus(LEFT_AT_LEAST)) && !expires.isAfter(now.plus(AdminToken.LIFETIME));
    }

    /** {@value #PREFIX} and a digest of the key file and the admin: a new key or admin, another file. */
    static String name(byte[] keyFile, String admin) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("maildeck admin token\0".getBytes(US_ASCII));
            digest.update(keyFile);
            digest.update((byte) 0);
            digest.update(admin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokens past their lifetime (of other keys or admins) go, so that the folder stays small. */
    private void forgetExpired(Instant now) throws IOException {
        FileTime old = FileTime.from(now.minus(AdminToken.LIFETIME));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PREFIX + "*")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).compareTo(old) < 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
