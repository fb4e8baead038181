package org.maildeck.antispam;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * amavisd-new's spam levels, per recipient: at {@code tag} the mail gets the X-Spam headers, at
 * {@code tag2} it is marked as spam (flag, subject, Junk folder), at {@code kill} it meets the
 * spam destiny. Levels are set globally, per domain and per recipient, each field inheriting from
 * the broader setting when left as {@code -}; {@code off} means never. Spam lovers (amavisd's
 * {@code spam_lovers}) are tagged and marked like anyone, but never killed.
 *
 * <pre>
 * spam.levels = 2.0 5.0 20.0                 tag tag2 kill, for everyone
 * spam.levels.example.org = - 4.0 -          a domain: marked from 4.0
 * spam.levels.bob@example.org = off - off    a recipient: no headers below tag2, never killed
 * spam.lovers = abuse@example.org, @traps.example.org
 * </pre>
 */
public final class SpamLevels {

    public enum Level { TAG, TAG2, KILL }

    /** One setting's three levels; an empty value is "off", {@code null} (only while parsing) is "inherit". */
    public record Levels(OptionalDouble tag, OptionalDouble tag2, OptionalDouble kill) {
        public OptionalDouble of(Level level) {
            return switch (level) {
                case TAG -> tag;
                case TAG2 -> tag2;
                case KILL -> kill;
            };
        }
    }

    static final String KEY = "spam.levels";
    static final String LOVERS_KEY = "spam.lovers";
    private static final Levels DEFAULTS = new Levels(OptionalDouble.of(2.0), OptionalDouble.of(5.0), OptionalDouble.of(20.0));

    private final Levels global;
    private final Map<String, OptionalDouble[]> overrides;
    private final Set<String> lovers;

    private SpamLevels(Levels global, Map<String, OptionalDouble[]> overrides, Set<String> lovers) {
        this.global = global;
        this.overrides = overrides;
        this.lovers = lovers;
    }

    /** From the {@code spam.levels*} and {@code spam.lovers} settings; anything else is ignored. */
    public static SpamLevels parse(Map<String, String> settings) {
        OptionalDouble[] global = fields(KEY, settings.getOrDefault(KEY, "2.0 5.0 20.0"));
        Levels defaults = new Levels(
            orElse(global[0], DEFAULTS.tag()), orElse(global[1], DEFAULTS.tag2()), orElse(global[2], DEFAULTS.kill()));
        Map<String, OptionalDouble[]> overrides = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(KEY + ".")) {
                String who = key.substring(KEY.length() + 1).toLowerCase(Locale.ROOT);
                if (who.isEmpty()) {
                    throw new IllegalArgumentException(key + ": no domain or recipient named");
                }
                overrides.put(who, fields(key, value));
            }
        });
        Set<String> lovers = Arrays.stream(settings.getOrDefault(LOVERS_KEY, "").split("[,\\s]+"))
            .map(String::trim).filter(entry -> !entry.isEmpty())
            .map(entry -> entry.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
        return new SpamLevels(defaults, Map.copyOf(overrides), lovers);
    }

    /** The levels that apply to {@code recipient}: its own, else its domain's, else the global ones, field by field. */
    public Levels of(String recipient) {
        String address = recipient.toLowerCase(Locale.ROOT);
        OptionalDouble[] own = overrides.get(address);
        OptionalDouble[] domain = overrides.get(domainOf(address));
        return new Levels(pick(0, own, domain, global.tag()), pick(1, own, domain, global.tag2()), pick(2, own, domain, global.kill()));
    }

    /** Whether a message with {@code score} reaches {@code level} for {@code recipient}. */
    public boolean reaches(String recipient, double score, Level level) {
        if (level == Level.KILL && isSpamLover(recipient)) {
            return false;
        }
        OptionalDouble threshold = of(recipient).of(level);
        return threshold.isPresent() && score >= threshold.getAsDouble();
    }

    public boolean isSpamLover(String recipient) {
        String address = recipient.toLowerCase(Locale.ROOT);
        return lovers.contains(address) || lovers.contains("@" + domainOf(address));
    }

    private static OptionalDouble pick(int field, OptionalDouble[] own, OptionalDouble[] domain, OptionalDouble fallback) {
        if (own != null && own[field] != null) {
            return own[field];
        }
        if (domain != null && domain[field] != null) {
            return domain[field];
        }
        return fallback;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    private static OptionalDouble orElse(OptionalDouble value, OptionalDouble fallback) {
        return value == null ? fallback : value;
    }

    /** Three fields: a number, {@code off}, or {@code -} (inherit, returned as null). */
    private static OptionalDouble[] fields(String key, String value) {
        List<String> parts = Arrays.stream(value.trim().split("\\s+")).filter(part -> !part.isEmpty()).toList();
        if (parts.size() != 3) {
            throw new IllegalArgumentException(key + " needs three levels (tag tag2 kill), each a number, off or -: " + value);
        }
        OptionalDouble[] levels = new OptionalDouble[3];
        for (int i = 0; i < 3; i++) {
            String part = parts.get(i).toLowerCase(Locale.ROOT);
            if (part.equals("-")) {
                levels[i] = null;
            } else if (part.equals("off")) {
                levels[i] = OptionalDouble.empty();
            } else {
                try {
                    levels[i] = OptionalDouble.of(Double.parseDouble(part));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + parts.get(i) + "' is not a number, off or -", e);
                }
            }
        }
        return levels;
    }
}
