package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.james.core.Domain;
import org.apache.james.user.lib.model.Algorithm;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AddressSyntax;
import org.maildeck.durability.Durability;

/**
 * The web console's admins, apart from the mail users: a handful of records, changed a few
 * times a year, so one small text file ({@code var/console/admins}) rewritten whole and
 * atomically with {@link Durability} on each change, and held in memory between changes. Derby
 * would add a schema and its migrations for five lines; the file is also what an admin can read
 * (never edit while the server runs: it is read once, at start).
 * <p>
 * One line per admin: {@code name TAB domains TAB algorithm TAB salt TAB hash}, domains
 * comma-separated or {@code *} for the super-admin. Passwords are hashed as the mail users'
 * are (usersrepository.xml's {@code algorithm}, PBKDF2-SHA512 by default, with James's
 * {@link Algorithm}), but salted with 16 random bytes rather than the login name, and the hash
 * remembers its algorithm so a later change of it locks nobody out.
 */
public class ConsoleAdmins {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final int MAX_PASSWORD_LENGTH = 1024;
    private static final String SUPER = "*";

    private record Entry(ConsoleAdmin admin, String algorithm, String salt, String hash) {
    }

    private final Path file;
    private final Algorithm algorithm;
    private final Durability durability;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new TreeMap<>();
    /** Hashed for an unknown name, so that a login takes as long whether the name exists or not. */
    private final String decoySalt;

    public ConsoleAdmins(Path file, String algorithm, Durability durability) {
        this.file = file;
        // salted: a non-PBKDF2 algorithm would otherwise ignore the salt (PBKDF2 always uses it)
        this.algorithm = Algorithm.of(algorithm, Algorithm.HashingMode.SALTED);
        this.durability = durability;
        this.decoySalt = newSalt();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, UTF_8)) {
                    if (!line.isBlank()) {
                        Entry entry = parse(line);
                        entries.put(entry.admin().name(), entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console admins " + file, e);
        }
    }

    /** The admin {@code name} if {@code password} is its password. */
    public Optional<ConsoleAdmin> verify(String name, String password) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(normalized(name));
        }
        if (entry == null) {
            digest(algorithm, password, decoySalt);
            return Optional.empty();
        }
        String guess = digest(Algorithm.of(entry.algorithm()), password, entry.salt());
        return MessageDigest.isEqual(guess.getBytes(UTF_8), entry.hash().getBytes(UTF_8))
            ? Optional.of(entry.admin())
            : Optional.empty();
    }

    /** The admin as stored now (a session's admin may have been removed or narrowed since its login). */
    public synchronized Optional<ConsoleAdmin> find(String name) {
        return Optional.ofNullable(entries.get(name)).map(Entry::admin);
    }

    public synchronized List<ConsoleAdmin> list() {
        return entries.values().stream().map(Entry::admin).toList();
    }

    /**
     * Adds the admin {@code name}: a super-admin when {@code domains} is empty, else the admin of
     * these domains, each of which must be served here ({@code localDomain}).
     */
    public synchronized ConsoleAdmin add(String name, String password, List<String> domains, Predicate<Domain> localDomain) {
        String normalized = validName(name);
        if (entries.containsKey(normalized)) {
            throw AccountRefused.refused("console admin '%s' already exists", normalized);
        }
        SortedSet<Domain> managed = new TreeSet<>((a, b) -> a.asString().compareTo(b.asString()));
        for (String text : domains) {
            Domain domain = AddressSyntax.domain(text);
            if (!localDomain.test(domain)) {
                throw AccountRefused.refused("unknown domain '%s' (add it with: maildeck domain add %s)", domain.asString(), domain.asString());
            }
            managed.add(domain);
        }
        ConsoleAdmin admin = new ConsoleAdmin(normalized, managed);
        store(admin, password);
        return admin;
    }

    public synchronized ConsoleAdmin changePassword(String name, String password) {
        ConsoleAdmin admin = existing(name);
        store(admin, password);
        return admin;
    }

    public synchronized ConsoleAdmin remove(String name) {
        ConsoleAdmin admin = existing(name);
        Map<String, Entry> after = new TreeMap<>(entries);
        after.remove(admin.name());
        write(after);
        return admin;
    }

    private ConsoleAdmin existing(String name) {
        Entry entry = entries.get(normalized(name));
        if (entry == null) {
            throw AccountRefused.refused("no such console admin '%s'", name);
        }
        return entry.admin();
    }

    private void store(ConsoleAdmin admin, String password) {
        if (password == null || password.isEmpty()) {
            throw AccountRefused.refused("empty password refused");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw AccountRefused.refused("password longer than %d characters refused", MAX_PASSWORD_LENGTH);
        }
        String salt = newSalt();
        Map<String, Entry> after = new TreeMap<>(entries);
        after.put(admin.name(), new Entry(admin, algorithm.asString(), salt, digest(algorithm, password, salt)));
        write(after);
    }

    /** The file first, then memory: a change that did not reach the disk is not made at all. */
    private void write(Map<String, Entry> after) {
        try {
            Files.createDirectories(file.getParent());
            String content = after.values().stream().map(ConsoleAdmins::format).collect(Collectors.joining());
            durability.writeAtomically(file.resolveSibling("." + file.getFileName() + ".tmp"), file, out -> out.write(content.getBytes(UTF_8)));
        } catch (IOException e) {
            throw AccountRefused.refused("cannot write %s: %s", file, e.getMessage());
        }
        entries.clear();
        entries.putAll(after);
    }

    private static String format(Entry entry) {
        ConsoleAdmin admin = entry.admin();
        String domains = admin.superAdmin() ? SUPER
            : admin.domains().stream().map(Domain::asString).collect(Collectors.joining(","));
        return String.join("\t", admin.name(), domains, entry.algorithm(), entry.salt(), entry.hash()) + "\n";
    }

    private Entry parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
            throw new IllegalStateException(file + ": not an admin line (name, domains, algorithm, salt, hash): " + fields[0]);
        }
        SortedSet<Domain> domains = new TreeSet<>((a, b) -> a.asString().compareTo(b.asString()));
        if (!fields[1].equals(SUPER)) {
            for (String domain : fields[1].split(",")) {
                domains.add(Domain.of(domain));
            }
        }
        return new Entry(new ConsoleAdmin(fields[0], domains), fields[2], fields[3], fields[4]);
    }

    private static String validName(String name) {
        String normalized = normalized(name);
        if (!NAME.matcher(normalized).matches()) {
            throw AccountRefused.usage("malformed console admin name '%s' (1 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit)",
                AddressSyntax.printable(name));
        }
        return normalized;
    }

    private static String normalized(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    /** James's base64 is MIME's, in lines of 76: joined, to keep one admin per line. */
    private static String digest(Algorithm algorithm, String password, String salt) {
        return algorithm.digest(password, salt).replaceAll("\\s", "");
    }

    private String newSalt() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return Base64.getEncoder().withoutPadding().encodeToString(salt);
    }

    /** For the list shown by {@code maildeck console-admin list}. */
    public static String describe(ConsoleAdmin admin) {
        return admin.superAdmin() ? admin.name() + " (super-admin)"
            : admin.name() + " (" + admin.domains().stream().map(Domain::asString).collect(Collectors.joining(", ")) + ")";
    }
}
