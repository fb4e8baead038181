package org.maildeck.mailets.sieve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.sieverepository.api.ScriptContent;
import org.apache.james.sieverepository.api.ScriptName;
import org.apache.james.sieverepository.api.ScriptSummary;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.DuplicateException;
import org.apache.james.sieverepository.api.exception.IsActiveException;
import org.apache.james.sieverepository.api.exception.QuotaExceededException;
import org.apache.james.sieverepository.api.exception.QuotaNotFoundException;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.sieverepository.api.exception.StorageException;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.MaildirLayout;

/**
 * James's {@link SieveRepository} on the files Dovecot Pigeonhole reads and writes for
 * {@code sieve = file:~/sieve;active=~/.dovecot.sieve} ({@link PigeonholeHome}): what ManageSieve
 * or {@code maildeck sieve} stores here, Pigeonhole lists and runs, and the other way round.
 *
 * <ul>
 *   <li>A script is written atomically (a temporary beside it, fsync'd, renamed over it, the
 *   directory fsync'd): a crash leaves the old script or the new one.</li>
 *   <li>Activating points a new symlink {@code .dovecot.sieve -> sieve/NAME.sieve} (relative,
 *   as Pigeonhole writes it) and renames it over the old link; deactivating removes the link.
 *   A regular file at {@code .dovecot.sieve} (a script written by hand) is kept as
 *   {@code sieve/dovecot.orig.sieve} first, as Pigeonhole does.</li>
 *   <li>Names are checked ({@link PigeonholeHome#whyInvalid}); a symlink in {@code sieve/} or a
 *   {@code sieve/} that is a symlink is never followed; the home itself must be where the mail
 *   root says. Nothing outside the user's home is read or written.</li>
 *   <li>Quota: a script's size and the number of scripts, Pigeonhole's
 *   {@code sieve_max_script_size} and {@code sieve_quota_max_scripts}.</li>
 * </ul>
 *
 * <p>Two sessions of one user changing scripts at once may race (one rename wins), as in
 * Pigeonhole; each file on disk is always whole.</p>
 */
public class PigeonholeSieveRepository implements SieveRepository {

    /** Where Pigeonhole keeps a regular {@code .dovecot.sieve} it replaces by a link. */
    static final String RESCUED = "dovecot.orig";

    private final PigeonholeHome homes;
    private final Durability durability;
    private final int maxScriptBytes;
    private final int maxScripts;

    public PigeonholeSieveRepository(MaildirLayout layout, Durability durability, int maxScriptBytes, int maxScripts) {
        this.homes = new PigeonholeHome(layout);
        this.durability = durability;
        this.maxScriptBytes = maxScriptBytes;
        this.maxScripts = maxScripts;
    }

    public int maxScriptBytes() {
        return maxScriptBytes;
    }

    public int maxScripts() {
        return maxScripts;
    }

    @Override
    public void haveSpace(Username username, ScriptName name, long size) throws QuotaExceededException, StorageException {
        checkName(name);
        try {
            checkQuota(existingHome(username), name, size);
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public void putScript(Username username, ScriptName name, ScriptContent content) throws StorageException, QuotaExceededException {
        checkName(name);
        byte[] bytes = content.getValue().getBytes(StandardCharsets.UTF_8);
        try {
            checkQuota(existingHome(username), name, bytes.length);
            Path scripts = scriptsDirectory(homes.createHome(home(username)));
            Path target = scripts.resolve(name.getValue() + PigeonholeHome.EXTENSION);
            durability.writeAtomically(temporary(scripts, name.getValue()), target, out -> out.write(bytes));
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public List<ScriptSummary> listScripts(Username username) throws StorageException {
        try {
            Optional<Path> home = existingHome(username);
            if (home.isEmpty()) {
                return List.of();
            }
            Optional<String> active = activeName(home.get());
            List<ScriptSummary> summaries = new ArrayList<>();
            for (String name : names(home.get())) {
                summaries.add(new ScriptSummary(new ScriptName(name), active.map(name::equals).orElse(false)));
            }
            return summaries;
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public ZonedDateTime getActivationDateForActiveScript(Username username) throws StorageException, ScriptNotFoundException {
        try {
            Path link = activeScript(username).link();
            return Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant().atZone(ZoneOffset.UTC);
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public InputStream getActive(Username username) throws ScriptNotFoundException, StorageException {
        try {
            return new ByteArrayInputStream(PigeonholeHome.read(activeScript(username).script(), maxScriptBytes));
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public void setActive(Username username, ScriptName name) throws ScriptNotFoundException, StorageException {
        try {
            Optional<Path> home = existingHome(username);
            if (NO_SCRIPT_NAME.equals(name)) {
                if (home.isPresent()) {
                    deactivate(home.get());
                }
                return;
            }
            checkName(name);
            if (home.isEmpty()) {
                throw new ScriptNotFoundException(name.getValue());
            }
            script(home.get(), name.getValue());
            Path link = home.get().resolve(PigeonholeHome.ACTIVE_LINK);
            rescueRegularFile(home.get(), link);
            Path temporary = home.get().resolve(PigeonholeHome.ACTIVE_LINK + "." + UUID.randomUUID() + ".tmp");
            Files.createSymbolicLink(temporary, Path.of(PigeonholeHome.SCRIPTS, name.getValue() + PigeonholeHome.EXTENSION));
            try {
                durability.durableRename(temporary, link);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (QuotaExceededException impossible) {
            throw new StorageException(impossible.getMessage(), impossible);
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public InputStream getScript(Username username, ScriptName name) throws ScriptNotFoundException, StorageException {
        try {
            checkName(name);
            Path home = existingHome(username).orElseThrow(() -> new ScriptNotFoundException(name.getValue()));
            return new ByteArrayInputStream(PigeonholeHome.read(script(home, name.getValue()), maxScriptBytes));
        } catch (QuotaExceededException invalidName) {
            throw new ScriptNotFoundException(invalidName.getMessage());
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public void deleteScript(Username username, ScriptName name) throws ScriptNotFoundException, IsActiveException, StorageException {
        try {
            checkName(name);
            Path home = existingHome(username).orElseThrow(() -> new ScriptNotFoundException(name.getValue()));
            Path script = script(home, name.getValue());
            if (activeName(home).map(name.getValue()::equals).orElse(false)) {
                throw new IsActiveException(name.getValue());
            }
            Files.delete(script);
            durability.syncDirectory(script.getParent());
        } catch (QuotaExceededException invalidName) {
            throw new ScriptNotFoundException(invalidName.getMessage());
        } catch (IOException e) {
            throw storage(e);
        }
    }

    @Override
    public void renameScript(Username username, ScriptName oldName, ScriptName newName)
            throws ScriptNotFoundException, DuplicateException, StorageException {
        try {
            checkName(oldName);
            checkName(newName);
            Path home = existingHome(username).orElseThrow(() -> new ScriptNotFoundException(oldName.getValue()));
            Path from = script(home, oldName.getValue());
            Path to = from.resolveSibling(newName.getValue() + PigeonholeHome.EXTENSION);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new DuplicateException(newName.getValue());
            }
            boolean active = activeName(home).map(oldName.getValue()::equals).orElse(false);
            durability.durableRename(from, to);
            if (active) {
                setActive(username, newName);
            }
        } catch (QuotaExceededException invalidName) {
            throw new ScriptNotFoundException(invalidName.getMessage());
        } catch (IOException e) {
            throw storage(e);
        }
    }

    /** The name of the active script, if {@code .dovecot.sieve} is a link to a script of {@code sieve/}. */
    public Optional<String> activeName(Username username) throws StorageException {
        try {
            Optional<Path> home = existingHome(username);
            return home.isEmpty() ? Optional.empty() : activeName(home.get());
        } catch (IOException e) {
            throw storage(e);
        }
    }

    private Optional<String> activeName(Path home) throws IOException {
        Path link = home.resolve(PigeonholeHome.ACTIVE_LINK);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = home.resolve(Files.readSymbolicLink(link)).normalize();
        String file = target.getFileName() == null ? "" : target.getFileName().toString();
        if (!target.getParent().equals(home.resolve(PigeonholeHome.SCRIPTS)) || !file.endsWith(PigeonholeHome.EXTENSION)) {
            return Optional.empty();
        }
        String name = file.substring(0, file.length() - PigeonholeHome.EXTENSION.length());
        return PigeonholeHome.whyInvalid(name) == null ? Optional.of(name) : Optional.empty();
    }

    private record Active(Path link, Path script) {
    }

    private Active activeScript(Username username) throws IOException, ScriptNotFoundException, StorageException {
        Path home = existingHome(username).orElseThrow(ScriptNotFoundException::new);
        Path link = home.resolve(PigeonholeHome.ACTIVE_LINK);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new ScriptNotFoundException();
        }
        return new Active(link, PigeonholeHome.scriptInside(home, link, PigeonholeHome.ACTIVE_LINK));
    }

    private void deactivate(Path home) throws IOException {
        Path link = home.resolve(PigeonholeHome.ACTIVE_LINK);
        if (Files.isSymbolicLink(link)) {
            Files.delete(link);
            durability.syncDirectory(home);
        }
    }

    /** A hand-written {@code .dovecot.sieve} becomes {@code sieve/dovecot.orig.sieve}, as Pigeonhole keeps it. */
    private void rescueRegularFile(Path home, Path link) throws IOException {
        if (Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)) {
            Path scripts = scriptsDirectory(home);
            durability.durableRename(link, scripts.resolve(RESCUED + PigeonholeHome.EXTENSION));
        }
    }

    /** The regular file {@code sieve/NAME.sieve}, never through a symlink. */
    private Path script(Path home, String name) throws IOException, ScriptNotFoundException {
        Path scripts = home.resolve(PigeonholeHome.SCRIPTS);
        Path script = scripts.resolve(name + PigeonholeHome.EXTENSION);
        if (!Files.exists(script, LinkOption.NOFOLLOW_LINKS)) {
            throw new ScriptNotFoundException(name);
        }
        if (Files.isSymbolicLink(scripts) || Files.isSymbolicLink(script)) {
            throw new PigeonholeHome.UnsafeScriptException("script " + name + " is a symbolic link; refusing to follow it");
        }
        return PigeonholeHome.scriptInside(home, script, "script " + name);
    }

    /** The names of the regular files {@code sieve/*.sieve}. */
    private List<String> names(Path home) throws IOException {
        Path scripts = home.resolve(PigeonholeHome.SCRIPTS);
        if (!Files.isDirectory(scripts, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(scripts, "*" + PigeonholeHome.EXTENSION)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - PigeonholeHome.EXTENSION.length());
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && PigeonholeHome.whyInvalid(name) == null) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private void checkQuota(Optional<Path> home, ScriptName name, long size) throws IOException, QuotaExceededException {
        if (size > maxScriptBytes) {
            throw new QuotaExceededException("the script is larger than " + maxScriptBytes + " bytes");
        }
        if (home.isPresent()) {
            List<String> names = names(home.get());
            if (!names.contains(name.getValue()) && names.size() >= maxScripts) {
                throw new QuotaExceededException("the user has " + maxScripts + " scripts already");
            }
        }
    }

    /** {@code sieve/} of a checked home, created if missing, refused if not a real directory. */
    private static Path scriptsDirectory(Path realHome) throws IOException {
        Path scripts = realHome.resolve(PigeonholeHome.SCRIPTS);
        if (!Files.exists(scripts, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(scripts);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // checked below
            }
        }
        if (!Files.isDirectory(scripts, LinkOption.NOFOLLOW_LINKS)) {
            throw new PigeonholeHome.UnsafeScriptException(scripts + " is not a directory (a symlink?)");
        }
        return scripts;
    }

    /** A name Pigeonhole does not list (no {@code .sieve} ending), only this writer uses. */
    private static Path temporary(Path scripts, String name) {
        return scripts.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    }

    private Path home(Username username) throws StorageException {
        try {
            return homes.of(username.asString());
        } catch (MaildirLayout.InvalidNameException unusable) {
            throw new StorageException(unusable.getMessage(), unusable);
        }
    }

    /** The home's checked real path, or none when the user has no home yet. */
    private Optional<Path> existingHome(Username username) throws IOException, StorageException {
        Path home = home(username);
        if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(homes.realHome(home));
    }

    private static void checkName(ScriptName name) throws QuotaExceededException {
        String why = PigeonholeHome.whyInvalid(name.getValue());
        if (why != null) {
            throw new InvalidScriptNameException("invalid script name: " + why);
        }
    }

    private static StorageException storage(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new StorageException("no such file: " + e.getMessage(), e);
        }
        return new StorageException(e.getMessage(), e);
    }

    /**
     * A name refused: a {@link QuotaExceededException} because James's ManageSieve (and the
     * interface) has no exception for it; ManageSieve answers it apart.
     */
    public static final class InvalidScriptNameException extends QuotaExceededException {
        InvalidScriptNameException(String message) {
            super(message);
        }
    }

    // Quota is script size and count, configured: James's per-user size quota is not kept here.

    @Override
    public boolean hasDefaultQuota() {
        return false;
    }

    @Override
    public QuotaSizeLimit getDefaultQuota() throws QuotaNotFoundException {
        throw new QuotaNotFoundException();
    }

    @Override
    public void setDefaultQuota(QuotaSizeLimit quota) throws StorageException {
        throw new StorageException("Sieve quotas are maxScriptBytes and maxScripts of managesieveserver.xml", null);
    }

    @Override
    public void removeQuota() throws QuotaNotFoundException {
        throw new QuotaNotFoundException();
    }

    @Override
    public boolean hasQuota(Username username) {
        return false;
    }

    @Override
    public QuotaSizeLimit getQuota(Username username) throws QuotaNotFoundException {
        throw new QuotaNotFoundException();
    }

    @Override
    public void setQuota(Username username, QuotaSizeLimit quota) throws StorageException {
        setDefaultQuota(quota);
    }

    @Override
    public void removeQuota(Username username) throws QuotaNotFoundException {
        throw new QuotaNotFoundException();
    }
}
