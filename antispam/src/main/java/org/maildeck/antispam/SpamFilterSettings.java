package org.maildeck.antispam;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.convert.PropertyConverter;
import org.maildeck.antispam.SpamLevels;

/**
 * The spam keys of contentfilter.properties: {@code spamd.enabled}, as the server and
 * {@code maildeck status} both read it, and {@code spam.levels*} and {@code spam.lovers} for
 * {@link SpamLevels}.
 */
public final class SpamFilterSettings {
    private SpamFilterSettings() {
    }

    /** {@code spamd.enabled} (default true); {@code setting} gives a key's value or null. */
    public static boolean spamdEnabled(UnaryOperator<String> setting) {
        return PropertyConverter.toBoolean(Optional.ofNullable(setting.apply("spamd.enabled")).map(String::trim).orElse("true"));
    }

    public static boolean spamdEnabled(Configuration config) {
        return spamdEnabled(key -> config.getString(key, null));
    }

    public static SpamLevels levels(Configuration config) {
        Map<String, String> settings = new HashMap<>();
        for (Iterator<String> keys = config.getKeys("spam"); keys.hasNext(); ) {
            String key = keys.next();
            settings.put(key, String.join(", ", config.getStringArray(key)));
        }
        return SpamLevels.parse(settings);
    }
}
