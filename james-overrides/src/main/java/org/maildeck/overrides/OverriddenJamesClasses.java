package org.maildeck.overrides;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The James 3.8.1 classes that this module replaces, each for a defect that upstream has not
 * mended (each class's own comment says which). A replacement works only because the launcher
 * puts this jar ahead of James's on the class path; a class path put together by hand (a package,
 * a container, an IDE) can get the order wrong and silently bring back the defect.
 * {@link #requireLoadedFromHere(ClassLoader)} runs first at start-up and refuses to go on if any
 * of them comes from elsewhere.
 *
 * <p>A unit test keeps this list equal to the classes of this module that shadow a James class,
 * and their public signatures equal to James's.
 */
public final class OverriddenJamesClasses {

    /** Binary names, in the order they were added. */
    public static final List<String> NAMES = List.of(
        // 8-bit header bytes turned into '?' when James writes changed headers
        "org.apache.james.server.core.InternetHeadersInputStream",
        // a connection over the listener's limit closed without a log line; the longest idle one is evicted
        "org.apache.james.protocols.netty.ConnectionLimitUpstreamHandler",
        "org.apache.james.protocols.netty.ConnectionPerIpLimitUpstreamHandler",
        // idle connections kept twice connectiontimeout and closed without a last line
        "org.apache.james.protocols.netty.TimeoutHandler",
        // a mailbox name that is not valid modified UTF-7 closed the IMAP connection without a reply
        "org.apache.james.imap.api.display.ModifiedUtf7",
        // the comment of "user@domain (Real Name)" not taken as the personal name in ENVELOPE
        "org.apache.james.imap.processor.fetch.EnvelopeBuilder",
        // a session told of messages (FETCH, EXPUNGE numbers) before their EXISTS, under concurrent sessions
        "org.apache.james.imap.processor.base.SelectedMailboxImpl");

    private OverriddenJamesClasses() {
    }

    /** Where each override that {@code loader} does not take from this module comes from instead. */
    public static List<String> loadedFromElsewhere(ClassLoader loader) {
        URL here = location(OverriddenJamesClasses.class);
        List<String> elsewhere = new ArrayList<>();
        for (String name : NAMES) {
            URL loaded;
            try {
                loaded = location(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                elsewhere.add(name + " (not on the class path)");
                continue;
            }
            if (!Objects.equals(here, loaded)) {
                elsewhere.add(name + " (from " + loaded + ")");
            }
        }
        return elsewhere;
    }

    /** Fails when any override is not the class loaded, naming each one and where it came from. */
    public static void requireLoadedFromHere(ClassLoader loader) {
        List<String> elsewhere = loadedFromElsewhere(loader);
        if (!elsewhere.isEmpty()) {
            throw new IllegalStateException("James's own classes come before Maildeck's replacements on the class path: "
                + String.join(", ", elsewhere) + "; put " + location(OverriddenJamesClasses.class)
                + " first (bin/maildeck does)");
        }
    }

    private static URL location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
