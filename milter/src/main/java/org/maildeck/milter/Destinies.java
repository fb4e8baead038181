package org.maildeck.milter;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import javax.mail.MessagingException;

import org.maildeck.mailets.Category;

/**
 * What the milter has Postfix do with mail the scan caught, per category (milter.properties
 * {@code destiny.<category>}), amavisd-new's final destinies in milter mode: {@code reject}
 * (Postfix refuses the message with {@code 554 5.7.0 ...}; the sending server keeps it and tells
 * its sender), {@code discard} (Postfix takes it and drops it: kept in the quarantine only) or
 * {@code pass} (delivered with {@code X-Maildeck-Alert}). Postfix cannot send a non-delivery
 * notice for us, so the pipeline's {@code bounce} is {@code reject} here: the sender learns it
 * from the refusal.
 */
public final class Destinies {

    public enum Fate { REJECT, DISCARD, PASS }

    private final Map<Category, Fate> fates;

    private Destinies(Map<Category, Fate> fates) {
        this.fates = fates;
    }

    /** {@code reject} for every category {@code configured} does not name. */
    public static Destinies of(Map<Category, String> configured) throws MessagingException {
        Map<Category, Fate> fates = new EnumMap<>(Category.class);
        for (Category category : Category.values()) {
            String name = configured.getOrDefault(category, "reject").trim().toUpperCase(Locale.ROOT);
            try {
                fates.put(category, Fate.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new MessagingException("milter.properties destiny." + category.label() + ": reject, discard or pass, not "
                    + configured.get(category));
            }
        }
        return new Destinies(fates);
    }

    /** The categories with this fate, as a list for {@code EndOfDataRefusals.parse}. */
    String categories(Fate fate) {
        return String.join(",", fates.entrySet().stream().filter(entry -> entry.getValue() == fate)
            .map(entry -> entry.getKey().label()).toList());
    }
}
