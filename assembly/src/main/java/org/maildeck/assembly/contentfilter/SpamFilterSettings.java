package org.maildeck.assembly.contentfilter;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.apache.commons.configuration2.Configuration;
import org.maildeck.antispam.SpamLevels;

/** The {@code spam.levels*} and {@code spam.lovers} keys of contentfilter.properties, for {@link SpamLevels}. */
final class SpamFilterSettings {
    private SpamFilterSettings() {
    }

    static SpamLevels levels(Configuration config) {
        Map<String, String> settings = new HashMap<>();
        for (Iterator<String> keys = config.getKeys("spam"); keys.hasNext(); ) {
            String key = keys.next();
            settings.put(key, String.join(", ", config.getStringArray(key)));
        }
        return SpamLevels.parse(settings);
    }
}
