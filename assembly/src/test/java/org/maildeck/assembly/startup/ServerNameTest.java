package org.maildeck.assembly.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ServerNameTest {

    @Test
    void aHostNameWithADomainIsTheServerName() throws Exception {
        InetAddress local = InetAddress.getByAddress("Mail.Example.ORG", new byte[] {127, 0, 1, 1});

        assertThat(ServerName.fullyQualified(local)).isEqualTo("mail.example.org");
    }

    @Test
    void aShortNameOnTheLoopbackAddressStaysShortRatherThanBecomingLocalhost() throws Exception {
        // what LocalHostname gives when the host name resolves nowhere; 127.0.0.1 is "localhost" in /etc/hosts
        InetAddress local = InetAddress.getByAddress("vm", new byte[] {127, 0, 0, 1});

        assertThat(ServerName.fullyQualified(local)).isEqualTo("vm");
    }
}
