package org.maildeck.autoconfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.w3c.dom.Element;

/**
 * An Apple configuration profile ({@code .mobileconfig}, a property list) with one IMAP mail
 * account, for iOS, iPadOS and macOS Mail: the user downloads it and installs it in Settings.
 * Apple's account takes one incoming and one outgoing server, so the first of each. The profile
 * is not signed (the device says "Unverified"); a site that wants it signed signs it with its
 * own certificate at the reverse proxy or with {@code openssl smime -sign}.
 *
 * <p>The identifiers are derived from the address, not random: downloading the profile again
 * replaces the installed one instead of adding a second account.</p>
 */
public final class AppleMailProfile {

    public static final String CONTENT_TYPE = "application/x-apple-aspen-config";

    private final MailClientSettings settings;

    public AppleMailProfile(MailClientSettings settings) {
        this.settings = settings;
    }

    /** The profile for the (local, already checked) {@code address}; the settings must be complete. */
    public String profile(ClientAddress address) {
        if (!settings.complete()) {
            throw new IllegalStateException("no IMAP or no submission listener with TLS to describe");
        }
        Endpoint incoming = settings.incoming().get(0);
        Endpoint outgoing = settings.outgoing().get(0);
        String identifier = identifierBase(incoming.host()) + "." + address.domain();
        UUID accountUuid = UUID.nameUUIDFromBytes(("maildeck-mail-account:" + address.address()).getBytes(StandardCharsets.UTF_8));
        UUID profileUuid = UUID.nameUUIDFromBytes(("maildeck-mail-profile:" + address.address()).getBytes(StandardCharsets.UTF_8));

        XmlDocument xml = XmlDocument.withRoot(null, "plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd");
        xml.root().setAttribute("version", "1.0");
        Element profile = xml.add(xml.root(), "dict");
        key(xml, profile, "PayloadContent");
        Element payloads = xml.add(profile, "array");
        Element account = xml.add(payloads, "dict");
        string(xml, account, "EmailAccountDescription", address.address());
        string(xml, account, "EmailAccountType", "EmailTypeIMAP");
        string(xml, account, "EmailAddress", address.address());
        string(xml, account, "IncomingMailServerAuthentication", "EmailAuthPassword");
        string(xml, account, "IncomingMailServerHostName", incoming.host());
        integer(xml, account, "IncomingMailServerPortNumber", incoming.port());
        // true for both TLS modes: Mail then negotiates STARTTLS on a plain port
        bool(xml, account, "IncomingMailServerUseSSL", true);
        string(xml, account, "IncomingMailServerUsername", address.address());
        string(xml, account, "OutgoingMailServerAuthentication", "EmailAuthPassword");
        string(xml, account, "OutgoingMailServerHostName", outgoing.host());
        integer(xml, account, "OutgoingMailServerPortNumber", outgoing.port());
        bool(xml, account, "OutgoingMailServerUseSSL", true);
        string(xml, account, "OutgoingMailServerUsername", address.address());
        bool(xml, account, "OutgoingPasswordSameAsIncomingPassword", true);
        string(xml, account, "PayloadDescription", "Mail account " + address.address());
        string(xml, account, "PayloadDisplayName", address.address());
        string(xml, account, "PayloadIdentifier", identifier + ".account." + accountUuid);
        string(xml, account, "PayloadType", "com.apple.mail.managed");
        string(xml, account, "PayloadUUID", accountUuid.toString().toUpperCase(Locale.ROOT));
        integer(xml, account, "PayloadVersion", 1);
        string(xml, profile, "PayloadDescription", "Sets up Mail for " + address.address());
        string(xml, profile, "PayloadDisplayName", "Mail: " + address.address());
        string(xml, profile, "PayloadIdentifier", identifier + ".profile." + profileUuid);
        bool(xml, profile, "PayloadRemovalDisallowed", false);
        string(xml, profile, "PayloadType", "Configuration");
        string(xml, profile, "PayloadUUID", profileUuid.toString().toUpperCase(Locale.ROOT));
        integer(xml, profile, "PayloadVersion", 1);
        return xml.serialise();
    }

    /** The server's host name reversed, as Apple's identifiers are written ({@code org.example.mail}). */
    private static String identifierBase(String host) {
        List<String> labels = new ArrayList<>(List.of(host.toLowerCase(Locale.ROOT).split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    private static void key(XmlDocument xml, Element dict, String key) {
        xml.add(dict, "key", key);
    }

    private static void string(XmlDocument xml, Element dict, String key, String value) {
        key(xml, dict, key);
        xml.add(dict, "string", value);
    }

    private static void integer(XmlDocument xml, Element dict, String key, int value) {
        key(xml, dict, key);
        xml.add(dict, "integer", Integer.toString(value));
    }

    private static void bool(XmlDocument xml, Element dict, String key, boolean value) {
        key(xml, dict, key);
        xml.add(dict, value ? "true" : "false");
    }
}
