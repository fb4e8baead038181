package org.maildeck.mailets.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class TrustedNetworksTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpv4NetworkContainsItsAddressesAndNoOthers() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("192.0.2.0/24");

        assertThat(networks.contains(ip("192.0.2.0"))).isTrue();
        assertThat(networks.contains(ip("192.0.2.255"))).isTrue();
        assertThat(networks.contains(ip("192.0.3.1"))).isFalse();
    }

    @Test
    void aPrefixLengthThatIsNotAMultipleOfEightIsHonoured() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("10.1.64.0/19");

        assertThat(networks.contains(ip("10.1.95.255"))).isTrue();
        assertThat(networks.contains(ip("10.1.96.0"))).isFalse();
        assertThat(networks.contains(ip("10.1.63.255"))).isFalse();
    }

    @Test
    void anIpv6HostWithPrefix128MatchesOnlyItself() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("::1/128");

        assertThat(networks.contains(ip("::1"))).isTrue();
        assertThat(networks.contains(ip("::2"))).isFalse();
        assertThat(networks.contains(ip("::1:0:0:1"))).isFalse();
    }

    @Test
    void anIpv6NetworkInPostfixBracketsIsAccepted() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("[2001:db8::]/32");

        assertThat(networks.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(networks.contains(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void anAddressWithoutPrefixIsASingleHost() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("127.0.0.1");

        assertThat(networks.contains(ip("127.0.0.1"))).isTrue();
        assertThat(networks.contains(ip("127.0.0.2"))).isFalse();
    }

    @Test
    void anIpv4ClientSeenThroughAnIpv6SocketIsMatchedAsIpv4() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("127.0.0.1/32");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};

        assertThat(networks.contains(java.net.Inet6Address.getByAddress(null, mapped, null))).isTrue();
    }

    @Test
    void ipv4NetworksNeverContainIpv6AddressesAndBackwards() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("0.0.0.0/0");

        assertThat(networks.contains(ip("2001:db8::1"))).isFalse();
        assertThat(TrustedNetworks.parse("::/0").contains(ip("192.0.2.1"))).isFalse();
    }

    @Test
    void anEmptyListTrustsNobody() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("  ");

        assertThat(networks.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void entriesAreSeparatedByCommasOrWhiteSpace() throws Exception {
        TrustedNetworks networks = TrustedNetworks.parse("192.0.2.1,198.51.100.0/24\n 2001:db8::1");

        assertThat(networks.contains(ip("192.0.2.1"))).isTrue();
        assertThat(networks.contains(ip("198.51.100.7"))).isTrue();
        assertThat(networks.contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void aHostNameIsRefusedRatherThanLookedUp() {
        assertThatThrownBy(() -> TrustedNetworks.parse("localhost"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("localhost");
    }

    @Test
    void aPrefixLengthOutOfRangeIsRefused() {
        assertThatThrownBy(() -> TrustedNetworks.parse("192.0.2.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedNetworks.parse("::1/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedNetworks.parse("192.0.2.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
