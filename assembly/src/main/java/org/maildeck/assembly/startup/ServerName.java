package org.maildeck.assembly.startup;

import java.net.InetAddress;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name this server gives itself (postfix {@code myhostname}): in the SMTP greeting and EHLO
 * reply, in the {@code Received:} lines it adds, and in the EHLO it sends to other servers. The
 * configuration files refer to it as {@code ${sys:maildeck.hostname}}; an admin sets it in
 * jvm.properties, or writes another name into a file. Unset, it is this host's fully qualified
 * name: many receiving servers refuse a client that introduces itself as {@code localhost}.
 */
public final class ServerName {

    public static final String PROPERTY = "maildeck.hostname";

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");

    private ServerName() {
    }

    /** Sets {@value #PROPERTY} to the host's name unless the admin set it; returns the name. */
    public static String establish() {
        String configured = System.getProperty(PROPERTY, "").trim();
        if (!configured.isEmpty()) {
            LOGGER.info("server name {} (maildeck.hostname in jvm.properties)", configured);
            return configured;
        }
        String name = fullyQualified(LocalHostname.address());
        System.setProperty(PROPERTY, name);
        if (name.indexOf('.') < 0) {
            LOGGER.warn("warning: server name {} is not fully qualified; set maildeck.hostname in jvm.properties"
                + " or give the host a name with a domain (/etc/hosts: 127.0.1.1 mail.example.com mail)", name);
        } else {
            LOGGER.info("server name {} (this host's name)", name);
        }
        return name;
    }

    /**
     * The host's name when it has a domain; else the name the host's address has in /etc/hosts or
     * DNS, as postfix does with a short {@code gethostname()}. Never an address or {@code localhost}
     * found that way: those name no host to the outside.
     */
    static String fullyQualified(InetAddress local) {
        String name = local.getHostName().toLowerCase(Locale.ROOT);
        if (name.indexOf('.') >= 0) {
            return name;
        }
        String canonical = local.getCanonicalHostName().toLowerCase(Locale.ROOT);
        boolean isAddress = canonical.equals(local.getHostAddress());
        if (canonical.indexOf('.') >= 0 && !isAddress && !canonical.startsWith("localhost")) {
            return canonical;
        }
        return name;
    }
}
