package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.core.Username;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.MaildirLayout;

/**
 * A mail user's vacation reply as a Sieve script in Pigeonhole's layout, the one delivery runs
 * ({@code org.maildeck.mailets.sieve.PigeonholeScripts}): the script {@code <home>/sieve/vacation.sieve},
 * active while the symlink {@code <home>/.dovecot.sieve} points to it (the relative target
 * {@code sieve/vacation.sieve}, as Pigeonhole writes it), so Dovecot runs the same reply.
 *
 * <p><b>Only when no other script is active.</b> jSieve has no {@code include}, so the reply
 * cannot be added to a script the user wrote (through ManageSieve, Roundcube's managesieve
 * plugin, a shell): while another script is active, turning the reply on is refused and says
 * so, and turning it off leaves that script alone. Turning it off removes the link and keeps the
 * script file (Pigeonhole's deactivation), so it stays listed in ManageSieve.
 *
 * <p>The texts go into Sieve quoted strings (RFC 5228 2.4.2): a backslash and a double quote are
 * escaped, line breaks kept as LF; other control characters are refused, as is anything longer
 * than the form's limits. The script and the link are each replaced atomically and durably (a
 * crash leaves the old or the new, never a part). Reading back only understands what this class
 * wrote (its first line says so); any other content shows as "on" with empty fields.
 *
 * <p>Later, this should write through the file-backed {@code SieveRepository} over the same
 * layout (ManageSieve's), instead of the files directly.
 */
public final class VacationScript {

    static final String NAME = "vacation";
    static final int MAX_SUBJECT = 200;
    static final int MAX_TEXT = 4000;
    static final int DAYS = 7;

    private static final String ACTIVE_LINK = ".dovecot.sieve";
    private static final Path TARGET = Path.of("sieve", NAME + ".sieve");
    private static final String HEADER = "# Vacation reply written by Maildeck's web console: change it there.";
    private static final Pattern WRITTEN = Pattern.compile(
        "vacation :days \\d+ :subject \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\";", Pattern.DOTALL);

    /** The reply as the user wrote it, and whether it is active. */
    record Reply(boolean active, String subject, String text) {
    }

    private final MaildirLayout layout;
    private final Durability durability;

    public VacationScript(MaildirLayout layout, Durability durability) {
        this.layout = layout;
        this.durability = durability;
    }

    Reply read(Username user) throws IOException {
        Path home = home(user);
        boolean active = isOurs(home);
        String script;
        try {
            script = Files.readString(home.resolve(TARGET), UTF_8);
        } catch (NoSuchFileException none) {
            return new Reply(active, "", "");
        }
        Matcher written = WRITTEN.matcher(script);
        if (!script.startsWith(HEADER) || !written.find()) {
            return new Reply(active, "", "");
        }
        return new Reply(active, unquote(written.group(1)), unquote(written.group(2)));
    }

    /** Writes the reply and makes it the active script; refused while another script is active. */
    void activate(Username user, String subject, String text) throws IOException {
        String script = script(checked("subject", subject, MAX_SUBJECT), checked("text", text, MAX_TEXT));
        Path home = home(user);
        Path link = home.resolve(ACTIVE_LINK);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !isOurs(home)) {
            throw AccountRefused.refused("another Sieve script is active (%s): the vacation reply cannot be added to it; "
                + "deactivate that script first, or put the vacation command in it", activeName(link));
        }
        // the home is written by its user too: a symlinked home or sieve/ could lead anywhere
        MaildirLayout.refuseSymlink(home.getParent());
        MaildirLayout.refuseSymlink(home);
        MaildirLayout.refuseSymlink(home.resolve(TARGET).getParent());
        Path scripts = Files.createDirectories(home.resolve(TARGET).getParent());
        durability.writeAtomically(scripts.resolve(".vacation.sieve.console-tmp"), home.resolve(TARGET),
            out -> out.write(script.getBytes(UTF_8)));
        Path newLink = home.resolve(ACTIVE_LINK + ".console-tmp");
        Files.deleteIfExists(newLink);
        Files.createSymbolicLink(newLink, TARGET);
        durability.durableRename(newLink, link);
    }

    /** Stops the reply (its script is kept); another active script is left alone. Whether it was on. */
    boolean deactivate(Username user) throws IOException {
        Path home = home(user);
        if (!isOurs(home)) {
            return false;
        }
        Files.delete(home.resolve(ACTIVE_LINK));
        durability.syncDirectory(home);
        return true;
    }

    static String script(String subject, String text) {
        return HEADER + "\n"
            + "require [\"vacation\"];\n"
            + "vacation :days " + DAYS + " :subject " + quote(subject) + " " + quote(text) + ";\n";
    }

    /** A Sieve quoted string: only {@code \} and {@code "} need escaping (RFC 5228 2.4.2). */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String unquote(String quoted) {
        return quoted.replaceAll("\\\\(.)", "$1");
    }

    private static String checked(String field, String value, int maxLength) {
        String text = value.replace("\r\n", "\n").replace('\r', '\n');
        if (text.isBlank()) {
            throw AccountRefused.refused("%s: empty", field);
        }
        if (text.length() > maxLength) {
            throw AccountRefused.refused("%s: longer than %d characters", field, maxLength);
        }
        boolean multiline = field.equals("text");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((Character.isISOControl(c) && c != '\t' && !(multiline && c == '\n')) || c == '\u2028' || c == '\u2029') {
                throw AccountRefused.refused("%s: control characters are not allowed", field);
            }
        }
        return text;
    }

    private boolean isOurs(Path home) throws IOException {
        Path link = home.resolve(ACTIVE_LINK);
        return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).normalize().equals(TARGET);
    }

    private static String activeName(Path link) throws IOException {
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : ACTIVE_LINK;
    }

    private Path home(Username user) {
        try {
            return layout.userMaildir(user.asString()).getParent();
        } catch (MaildirLayout.InvalidNameException e) {
            throw AccountRefused.refused("%s", e.getMessage());
        }
    }
}
