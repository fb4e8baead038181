package org.maildeck.mailets.sieve;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.Username;
import org.apache.mailet.Mail;
import org.apache.mailet.StorageDirective;

/**
 * The flags of RFC 5232 ({@code imap4flags}) one script run collects with {@code setflag},
 * {@code addflag} and {@code removeflag}, given to the copy the recipient keeps (by {@code keep},
 * the implicit keep or {@code fileinto}) through James's {@code StorageDirective}, which
 * {@code MaildirDelivery} stores in the Maildir file name ({@code S}, {@code F}) and, for
 * keywords, in {@code dovecot-keywords}.
 *
 * <p>What a {@code StorageDirective} can carry is {@code \Seen}, {@code \Flagged} and keywords;
 * {@code \Answered}, {@code \Draft} and {@code \Deleted} are dropped. Every copy gets the flags the
 * run ended with (RFC 5232 gives a {@code fileinto} those current when it is executed; it differs
 * only for a script that changes the flags after a {@code fileinto}).</p>
 */
final class SieveFlags {

    private final Set<String> flags = new LinkedHashSet<>();

    void set(Collection<String> values) {
        flags.clear();
        add(values);
    }

    void add(Collection<String> values) {
        for (String value : values) {
            for (String flag : value.trim().split("\\s+")) {
                if (!flag.isEmpty() && flags.stream().noneMatch(flag::equalsIgnoreCase)) {
                    flags.add(flag);
                }
            }
        }
    }

    void remove(Collection<String> values) {
        for (String value : values) {
            for (String flag : value.trim().split("\\s+")) {
                flags.removeIf(flag::equalsIgnoreCase);
            }
        }
    }

    /** Puts the flags on the recipient's copy, beside the folder a fileinto may have named. */
    void applyTo(Mail mail, Username user) {
        if (flags.isEmpty()) {
            return;
        }
        Set<String> keywords = new LinkedHashSet<>();
        boolean seen = false;
        boolean flagged = false;
        for (String flag : flags) {
            switch (flag.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> seen = true;
                case "\\flagged" -> flagged = true;
                case "\\answered", "\\draft", "\\deleted", "\\recent" -> { }
                default -> keywords.add(flag);
            }
        }
        if (!seen && !flagged && keywords.isEmpty()) {
            return;
        }
        StorageDirective.builder()
            .seen(Optional.of(seen).filter(Boolean::booleanValue))
            .important(Optional.of(flagged).filter(Boolean::booleanValue))
            .keywords(Optional.of(keywords).filter(set -> !set.isEmpty()).map(Set::copyOf))
            .build()
            .encodeAsAttributes(user)
            .forEach(mail::setAttribute);
    }
}
