package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class ReversedAddressTest {

    @Test
    void ipv4OctetsAreReversed() throws Exception {
        assertThat(ReversedAddress.of(InetAddress.getByName("192.0.2.7"))).isEqualTo("7.2.0.192");
    }

    @Test
    void ipv6IsThirtyTwoReversedNibbles() throws Exception {
        // RFC 5782 2.4's example
        assertThat(ReversedAddress.of(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab")))
            .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2");
    }

    @Test
    void anIpv4MappedAddressIsQueriedAsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 192;
        mapped[15] = 7;
        // InetAddress turns a mapped address into an Inet4Address itself; the bytes path is the one left
        assertThat(ReversedAddress.of(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("7.0.0.192");
    }
}
