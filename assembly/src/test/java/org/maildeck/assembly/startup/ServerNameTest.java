package org.maildeck.assembly.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class ServerNameTest {

    private static Function<String, String> hosts(Map<String, String> canonicalNames) {
        return name -> canonicalNames.getOrDefault(name, name);
    }

    @Test
    void aHostNameWithADomainIsTheServerName() {
        assertThat(ServerName.fullyQualified("Mail.Example.ORG.", hosts(Map.of()))).isEqualTo("mail.example.org");
    }

    @Test
    void aShortHostNameTakesTheDomainItsLineInEtcHostsGives() {
        assertThat(ServerName.fullyQualified("mail", hosts(Map.of("mail", "mail.example.org")))).isEqualTo("mail.example.org");
    }

    @Test
    void aShortHostNameStaysShortRatherThanBecomingLocalhost() {
        // LocalHostname's fallback: the kernel's name on 127.0.0.1, which /etc/hosts calls localhost
        assertThat(ServerName.fullyQualified("vm", hosts(Map.of("vm", "localhost.localdomain")))).isEqualTo("vm");
    }

    @Test
    void anotherNameForTheAddressIsNotTaken() {
        // a provider's reverse DNS name for the host's address names another host
        assertThat(ServerName.fullyQualified("mail", hosts(Map.of("mail", "203-0-113-5.dsl.provider.example")))).isEqualTo("mail");
    }

    @Test
    void localhostWithADomainDoesNotCountAsFullyQualified() {
        // the default host name of many RHEL-like installations
        assertThat(ServerName.isFullyQualified("localhost.localdomain")).isFalse();
    }

    @Test
    void anAddressDoesNotCountAsFullyQualified() {
        assertThat(ServerName.isFullyQualified("192.0.2.25")).isFalse();
    }
}
