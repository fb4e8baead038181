package org.maildeck.cli.check;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.maildeck.antispam.SpamFilterSettings;
import org.maildeck.antispam.SpamdClient;
import org.maildeck.antispam.SpamdException;
import org.maildeck.antivirus.ClamdClient;
import org.maildeck.antivirus.ClamdException;
import org.maildeck.localdaemon.DaemonAddress;

/**
 * clamd and spamd, when enabled in contentfilter.properties, answer PING. A silent one is a
 * warning: the server still runs, but holds mail back (clamd) or passes it unchecked (spamd).
 * With clamd on, the size limits must let it scan every accepted message ({@link ScanSizeLimits}).
 */
final class Scanners {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Scanners() {
    }

    static List<Finding> check(Path conf) {
        Path file = conf.resolve("contentfilter.properties");
        List<Finding> findings = new ArrayList<>();
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            settings.load(reader);
        } catch (IOException e) {
            findings.add(Finding.error(file, 0, "unreadable: " + e.getMessage()));
            return findings;
        }
        if (enabled(settings, "clamd.enabled")) {
            String address = settings.getProperty("clamd.address", "/run/clamav/clamd.ctl").trim();
            try {
                new ClamdClient(new ClamdClient.Settings(DaemonAddress.parse(address), TIMEOUT, TIMEOUT, 1)).ping();
            } catch (ClamdException | IllegalArgumentException e) {
                findings.add(Finding.warning(file, 0, "clamd at " + address + " does not answer (" + e.getMessage()
                    + "): accepted mail waits until it does"));
            }
            findings.addAll(ScanSizeLimits.check(conf, file, settings));
        }
        if (SpamFilterSettings.spamdEnabled(settings::getProperty)) {
            String address = settings.getProperty("spamd.address", "127.0.0.1:783").trim();
            try {
                new SpamdClient(SpamdClient.Settings.parse(address, TIMEOUT, TIMEOUT)).ping();
            } catch (SpamdException | IllegalArgumentException e) {
                findings.add(Finding.warning(file, 0, "spamd at " + address + " does not answer (" + e.getMessage()
                    + "): mail passes with X-Spam-Status: unchecked"));
            }
        }
        return findings;
    }

    private static boolean enabled(Properties settings, String key) {
        return Boolean.parseBoolean(settings.getProperty(key, "true").trim());
    }
}
