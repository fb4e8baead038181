package org.maildeck.assembly.contentfilter;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.util.DurationParser;
import org.apache.james.util.Size;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.PropertiesProvider;
import org.maildeck.antivirus.ClamdAddress;
import org.maildeck.antivirus.ClamdClient;
import org.maildeck.antivirus.ClamdHealthCheck;
import org.maildeck.contentfilter.BannedAttachmentRules;
import org.maildeck.contentfilter.BannedAttachmentScanner;
import org.maildeck.contentfilter.CircuitBreakerSettings;
import org.maildeck.contentfilter.ClamdScanner;
import org.maildeck.contentfilter.ScanRoute;

import com.google.common.base.Splitter;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The content filter's scanners and route, from contentfilter.properties: one {@link ScanRoute}
 * for the whole server (the pipeline's {@code ContentFilter} mailet uses it), clamd's health
 * check, and the route's stop at shutdown ({@link ScanRouteLifecycle}).
 */
public class ContentFilterModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(ScanRouteLifecycle.class).in(com.google.inject.Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(ScanRouteLifecycle.class);
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
            return new ClamdClient(new ClamdClient.Settings(ClamdAddress.parse(address),
                duration(config, "clamd.connect.timeout", "5s"),
                duration(config, "clamd.timeout", "60s"),
                Size.parse(config.getString("clamd.stream.max.length", "25M")).asBytes()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    ScanRoute scanRoute(@Named("contentfilter") Configuration config, ClamdClient clamd, ScanRouteLifecycle lifecycle)
            throws Exception {
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(
            config.getInt("breaker.window", 20),
            config.getInt("breaker.minimum.calls", 5),
            config.getFloat("breaker.failure.rate.percent", 50f),
            duration(config, "breaker.open.for", "30s"));
        ScanRoute route = new ScanRoute(List.of(
            new ClamdScanner(clamd, duration(config, "clamd.timeout", "60s")),
            new BannedAttachmentScanner(bannedRules(config), duration(config, "banned.timeout", "30s"))), breaker);
        lifecycle.manage(route);
        return route;
    }

    private static BannedAttachmentRules bannedRules(Configuration config) throws ConfigurationException {
        BannedAttachmentRules defaults = BannedAttachmentRules.defaults();
        try {
            return new BannedAttachmentRules(
                list(config, "banned.names", defaults.namePatterns()),
                Set.copyOf(list(config, "banned.types", List.copyOf(defaults.contentTypes()))),
                config.getInt("banned.archive.max.depth", defaults.maxArchiveDepth()),
                config.getInt("banned.archive.max.files", defaults.maxArchiveEntries()),
                Size.parse(config.getString("banned.archive.max.expanded", "100M")).asBytes());
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
    HealthCheck clamdHealth(ClamdClient clamd) {
        return new ClamdHealthCheck(clamd);
    }

    private static Duration duration(Configuration config, String key, String fallback) throws ConfigurationException {
        String value = config.getString(key, fallback).trim();
        try {
            return DurationParser.parse(value, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("contentfilter.properties " + key + ": not a duration: " + value, e);
        }
    }
}
