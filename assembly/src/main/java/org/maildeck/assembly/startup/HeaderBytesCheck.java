package org.maildeck.assembly.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.CodeSource;
import java.util.Collections;
import java.util.List;

import org.apache.james.server.core.InternetHeadersInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that James writes header bytes back as it read them: that the class path
 * has Maildeck's {@code InternetHeadersInputStream} (module james-overrides) ahead of James's,
 * which turns every 8-bit header byte into {@code ?}. A class path put together by hand can get
 * the order wrong; the admin should hear of it before mail is damaged.
 */
public final class HeaderBytesCheck {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");
    private static final char LATIN1_E_ACUTE = '\u00e9';

    private HeaderBytesCheck() {
    }

    public static boolean headerBytesKept() {
        try (InternetHeadersInputStream written = new InternetHeadersInputStream(
                Collections.enumeration(List.of("X: " + LATIN1_E_ACUTE)))) {
            byte[] bytes = written.readAllBytes();
            return bytes.length > 3 && bytes[3] == (byte) LATIN1_E_ACUTE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void warnIfDamaged() {
        if (!headerBytesKept()) {
            CodeSource source = InternetHeadersInputStream.class.getProtectionDomain().getCodeSource();
            LOGGER.warn("James's own InternetHeadersInputStream (from {}) comes first on the class path: 8-bit bytes in"
                + " changed headers will be stored and relayed as '?'; put maildeck-james-overrides-*.jar first",
                source == null ? "an unknown place" : source.getLocation());
        }
    }
}
