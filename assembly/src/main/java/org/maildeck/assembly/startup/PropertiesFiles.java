package org.maildeck.assembly.startup;

import java.io.FileNotFoundException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.DurationParser;
import org.apache.james.utils.PropertiesProvider;

/** How the modules read their {@code NAME.properties}: an optional listener's file, durations. */
public final class PropertiesFiles {

    private PropertiesFiles() {
    }

    /**
     * {@code NAME.properties}, or, when there is none (an installation from before the feature),
     * a configuration saying {@code enabled=false}.
     */
    public static Configuration orDisabled(PropertiesProvider properties, String name) throws ConfigurationException {
        try {
            return properties.getConfiguration(name);
        } catch (FileNotFoundException e) {
            BaseConfiguration off = new BaseConfiguration();
            off.setProperty("enabled", false);
            return off;
        }
    }

    /** A duration with a unit (ms, s, m, h; seconds without one), named in the error as {@code file key}. */
    public static Duration duration(Configuration config, String file, String key, String fallback) throws ConfigurationException {
        String value = config.getString(key, fallback).trim();
        try {
            return DurationParser.parse(value, ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(file + " " + key + ": not a duration: " + value, e);
        }
    }
}
