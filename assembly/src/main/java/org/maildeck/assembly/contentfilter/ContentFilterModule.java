package org.maildeck.assembly.contentfilter;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.events.EventListener;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.util.Size;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.PropertiesProvider;
import org.maildeck.antispam.JunkLearning;
import org.maildeck.antispam.SpamFilterSettings;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.antispam.SpamdClient;
import org.maildeck.antivirus.ClamdClient;
import org.maildeck.assembly.startup.PropertiesFiles;
import org.maildeck.contentfilter.BannedAttachmentRules;
import org.maildeck.contentfilter.BannedAttachmentScanner;
import org.maildeck.contentfilter.CircuitBreakerSettings;
import org.maildeck.contentfilter.ClamdScanner;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.contentfilter.Scanner;
import org.maildeck.contentfilter.SpamdScanner;
import org.maildeck.localdaemon.DaemonAddress;
import org.maildeck.localdaemon.DaemonHealthCheck;
import org.maildeck.monitoring.ScannerLatencies;

import com.google.common.base.Splitter;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The content filter's scanners and route, from contentfilter.properties: one {@link ScanRoute}
 * for the whole server (the pipeline's {@code ContentFilter} mailet uses it), the spam levels the
 * spam matchers and mailets read, clamd's and spamd's health checks, and the route's stop at shutdown ({@link ScanRouteLifecycle}).
 */
public class ContentFilterModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ScanRouteLifecycle.class).in(com.google.inject.Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(ScanRouteLifecycle.class);
        Multibinder.newSetBinder(binder(), EventListener.GroupEventListener.class).addBinding().to(JunkLearning.class);
    }

    /** Learning from users' moves into and out of Junk (spam.learn*). */
    @Provides
    @Singleton
    JunkLearning junkLearning(@Named("contentfilter") Configuration config, MailboxManager mailboxManager, SpamdClient spamd) {
        String spamdUser = config.getString("spamd.user", "").trim();
        return new JunkLearning(mailboxManager, spamd, new JunkLearning.Settings(
            SpamFilterSettings.spamdEnabled(config) && config.getBoolean("spam.learn", true),
            config.getString("spam.learn.junk", "Junk").trim(),
            config.getString("spam.learn.trash", "Trash").trim(),
            spamdUser.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(spamdUser)));
    }

    /** contentfilter.properties, read once for the providers below. */
    @Provides
    @Singleton
    @Named("contentfilter")
    Configuration contentFilterProperties(PropertiesProvider properties) throws ConfigurationException {
        try {
            return properties.getConfiguration("contentfilter");
        } catch (FileNotFoundException e) {
            return new BaseConfiguration();
        }
    }

    @Provides
    @Singleton
    ClamdClient clamd(@Named("contentfilter") Configuration config) throws ConfigurationException {
        String address = config.getString("clamd.address", "/run/clamav/clamd.ctl");
        try {
            return new ClamdClient(new ClamdClient.Settings(DaemonAddress.parse(address),
                PropertiesFiles.duration(config, "contentfilter.properties", "clamd.connect.timeout", "5s"),
                PropertiesFiles.duration(config, "contentfilter.properties", "clamd.timeout", "60s"),
                Size.parse(config.getString("clamd.stream.max.length", "25M")).asBytes()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    SpamdClient spamd(@Named("contentfilter") Configuration config) throws ConfigurationException {
        try {
            return new SpamdClient(SpamdClient.Settings.parse(config.getString("spamd.address", "127.0.0.1:783"),
                PropertiesFiles.duration(config, "contentfilter.properties", "spamd.connect.timeout", "5s"), PropertiesFiles.duration(config, "contentfilter.properties", "spamd.timeout", "30s")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    SpamLevels spamLevels(@Named("contentfilter") Configuration config) throws ConfigurationException {
        try {
            return SpamFilterSettings.levels(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    ScanRoute scanRoute(@Named("contentfilter") Configuration config, ClamdClient clamd, SpamdClient spamd, ScanRouteLifecycle lifecycle,
                        ScannerLatencies latencies)
            throws Exception {
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(
            config.getInt("breaker.window", 20),
            config.getInt("breaker.minimum.calls", 5),
            config.getFloat("breaker.failure.rate.percent", 50f),
            PropertiesFiles.duration(config, "contentfilter.properties", "breaker.open.for", "30s"));
        List<Scanner> scanners = new ArrayList<>();
        if (config.getBoolean("clamd.enabled", true)) {
            scanners.add(new ClamdScanner(clamd, PropertiesFiles.duration(config, "contentfilter.properties", "clamd.timeout", "60s")));
        }
        scanners.add(new BannedAttachmentScanner(bannedRules(config), PropertiesFiles.duration(config, "contentfilter.properties", "banned.timeout", "30s")));
        if (SpamFilterSettings.spamdEnabled(config)) {
            scanners.add(new SpamdScanner(spamd, PropertiesFiles.duration(config, "contentfilter.properties", "spamd.timeout", "30s"),
                Size.parse(config.getString("spam.max.size", "512K")).asBytes(), config.getBoolean("spam.skip.infected", true)));
        }
        ScanRoute route = new ScanRoute(scanners.stream().map(latencies::timed).toList(), breaker, mode(config));
        lifecycle.manage(route);
        return route;
    }

    private static ScanRoute.Mode mode(Configuration config) throws ConfigurationException {
        String mode = config.getString("scan.mode", "parallel").trim();
        try {
            return ScanRoute.Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties scan.mode: parallel or sequential, not " + mode, e);
        }
    }

    private static BannedAttachmentRules bannedRules(Configuration config) throws ConfigurationException {
        BannedAttachmentRules defaults = BannedAttachmentRules.defaults();
        try {
            return new BannedAttachmentRules(
                list(config, "banned.names", defaults.namePatterns()),
                Set.copyOf(list(config, "banned.types", List.copyOf(defaults.contentTypes()))),
                config.getInt("banned.archive.max.depth", defaults.maxArchiveDepth()),
                config.getInt("banned.archive.max.files", defaults.maxArchiveEntries()),
                Size.parse(config.getString("banned.archive.max.expanded", "100M")).asBytes(),
                config.getInt("banned.mime.max.depth", defaults.maxMimeDepth()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties banned.*: " + e.getMessage(), e);
        }
    }

    private static List<String> list(Configuration config, String key, List<String> fallback) {
        if (!config.containsKey(key)) {
            return fallback;
        }
        return Splitter.onPattern("[,\\s]+").omitEmptyStrings().splitToList(String.join(",", config.getStringArray(key)));
    }

    @ProvidesIntoSet
    HealthCheck clamdHealth(ClamdClient clamd, @Named("contentfilter") Configuration config) {
        return new DaemonHealthCheck("clamd", config.getBoolean("clamd.enabled", true), clamd::ping);
    }

    @ProvidesIntoSet
    HealthCheck spamdHealth(SpamdClient spamd, @Named("contentfilter") Configuration config) {
        return new DaemonHealthCheck("spamd", SpamFilterSettings.spamdEnabled(config), spamd::ping);
    }
}
