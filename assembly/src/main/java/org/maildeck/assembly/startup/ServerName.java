package org.maildeck.assembly.startup;

import java.net.InetAddress;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name this server gives itself (postfix {@code myhostname}): in the SMTP greeting and EHLO
 * reply, in the {@code Received:} lines it adds, in the EHLO it sends to other servers and as the
 * {@code Reporting-MTA} of its delivery reports. The configuration files refer to it as
 * {@code ${sys:maildeck.hostname}}; an admin sets it in jvm.properties, or writes another name
 * into a file. Unset, it is this host's fully qualified name: many receiving servers refuse a
 * client that introduces itself as {@code localhost}.
 */
public final class ServerName {

    public static final String PROPERTY = "maildeck.hostname";

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private ServerName() {
    }

    /** Sets {@value #PROPERTY} to the host's name unless the admin set it; returns the name. */
    public static String establish() {
        String configured = normalised(System.getProperty(PROPERTY, ""));
        if (!configured.isEmpty()) {
            System.setProperty(PROPERTY, configured);
            LOGGER.info("server name {} (maildeck.hostname in jvm.properties)", configured);
            return configured;
        }
        InetAddress local = LocalHostname.address();
        String name = fullyQualified(local.getHostName(), hostName -> local.getCanonicalHostName());
        System.setProperty(PROPERTY, name);
        if (isFullyQualified(name)) {
            LOGGER.info("server name {} (this host's name)", name);
        } else {
            LOGGER.warn("warning: server name {} is not fully qualified; set maildeck.hostname in jvm.properties"
                + " or give the host a name with a domain (/etc/hosts: 127.0.1.1 mail.example.com mail)", name);
        }
        return name;
    }

    /** The established name; before {@link #establish()}, this host's name as it is. */
    public static String current() {
        return System.getProperty(PROPERTY, LocalHostname.name());
    }

    /**
     * The host's name when it has a domain; else, like {@code hostname --fqdn}, the name its
     * address has in /etc/hosts or DNS, when that is the same name with a domain. Anything else
     * found that way (localhost, a provider's name for the address) names no host to the outside.
     */
    static String fullyQualified(String hostName, Function<String, String> canonicalName) {
        String name = normalised(hostName);
        if (isFullyQualified(name)) {
            return name;
        }
        String canonical = normalised(canonicalName.apply(name));
        return canonical.startsWith(name + ".") && isFullyQualified(canonical) ? canonical : name;
    }

    /** Whether {@code name} can name this host to others; start-up warns when it cannot. */
    static boolean isFullyQualified(String name) {
        return name.indexOf('.') > 0 && !name.equals("localhost") && !name.startsWith("localhost.")
            && !ADDRESS_LITERAL.matcher(name).matches();
    }

    private static String normalised(String name) {
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
