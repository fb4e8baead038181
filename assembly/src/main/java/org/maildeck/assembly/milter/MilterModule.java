package org.maildeck.assembly.milter;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import javax.inject.Named;
import javax.inject.Singleton;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.util.Size;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.assembly.startup.PropertiesFiles;
import org.maildeck.contentfilter.ScanRoute;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.ContentScan;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.SpamHeaders;
import org.maildeck.mailets.SpamMark;
import org.maildeck.milter.Destinies;
import org.maildeck.milter.MilterServer;
import org.maildeck.milter.MilterSettings;
import org.maildeck.milter.ScanAtEndOfMessage;
import org.maildeck.milter.SpamTags;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.ProvidesIntoSet;

/**
 * The milter listener (milter.properties, read once): Postfix's before-queue content filter,
 * scanning with the server's one route, spam levels, quarantine and mail-log outcomes. Started
 * with the other listeners, closed by {@code ProtocolListeners}.
 */
public class MilterModule extends AbstractModule {

    @Provides
    @Singleton
    @Named("milter")
    Configuration milterProperties(PropertiesProvider properties) throws ConfigurationException {
        return PropertiesFiles.orDisabled(properties, "milter");
    }

    @Provides
    @Singleton
    MilterSettings settings(@Named("milter") Configuration config) throws ConfigurationException {
        try {
            return new MilterSettings(config.getBoolean("enabled", false),
                new InetSocketAddress(config.getString("host", "127.0.0.1").trim(), config.getInt("port", 8891)),
                Math.toIntExact(Size.parse(config.getString("max.packet", "65600")).asBytes()),
                Size.parse(config.getString("max.message.size", "25000K")).asBytes(),
                PropertiesFiles.duration(config, "milter.properties", "packet.timeout", "30s"),
                PropertiesFiles.duration(config, "milter.properties", "idle.timeout", "1h"),
                config.getInt("max.connections", 100));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigurationException("milter.properties: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    MilterServer server(MilterSettings settings, @Named("milter") Configuration config, ScanRoute route, SpamLevels levels,
                        Quarantine quarantine, DeliveryOutcomes outcomes, SpamHeaders spamHeaders, SpamMark spamMark)
            throws ConfigurationException {
        try {
            Map<Category, String> destinies = new EnumMap<>(Category.class);
            for (Category category : Category.values()) {
                String key = "destiny." + category.label();
                if (config.containsKey(key)) {
                    destinies.put(category, config.getString(key));
                }
            }
            ContentScan.Policy policy = new ContentScan.Policy(
                ContentScan.FailurePolicy.parse(config.getString("onScannerFailure", "tempfail"), "milter.properties"),
                ContentScan.FailurePolicy.parse(config.getString("onSpamdFailure", "pass"), "milter.properties"),
                // Postfix's clients are not Maildeck's: whatever Postfix trusts is scored
                true);
            SpamTags spamTags = SpamTags.of(levels, spamHeaders, spamMark, config.getString("spam.subject.prefix", "***SPAM***"));
            return new MilterServer(settings, new ScanAtEndOfMessage(route, policy, Destinies.of(destinies),
                config.getBoolean("quarantine", true), levels, quarantine, spamTags, outcomes));
        } catch (MessagingException e) {
            throw new ConfigurationException("milter.properties: " + e.getMessage(), e);
        }
    }

    @ProvidesIntoSet
    InitializationOperation startListening(MilterServer server) {
        return InitilizationOperationBuilder.forClass(MilterServer.class).init(server::start);
    }
}
