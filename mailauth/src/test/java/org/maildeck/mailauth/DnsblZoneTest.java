package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class DnsblZoneTest {

    private static InetAddress ip(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    void anyLoopbackAnswerListsWithoutACodeFilter() throws Exception {
        DnsblZone zone = DnsblZone.parse("bl.example.org", null, "");

        assertThat(zone.listing(List.of(ip("127.0.0.4")))).contains(ip("127.0.0.4"));
        assertThat(zone.rejects()).isTrue();
    }

    @Test
    void theCodeFilterKeepsOnlyItsCodes() throws Exception {
        DnsblZone zone = DnsblZone.parse("bl.example.org", "2", "127.0.0.2, 127.0.0.3");

        assertThat(zone.listing(List.of(ip("127.0.0.4")))).isEmpty();
        assertThat(zone.listing(List.of(ip("127.0.0.4"), ip("127.0.0.3")))).contains(ip("127.0.0.3"));
        assertThat(zone.score()).contains(2);
    }

    @Test
    void anAnswerOutsideLoopbackIsGarbageNotAListing() throws Exception {
        assertThat(DnsblZone.parse("bl.example.org", null, "").listing(List.of(ip("10.1.2.3")))).isEmpty();
    }

    @Test
    void theListsErrorCodesAreNotAListing() throws Exception {
        assertThat(DnsblZone.parse("bl.example.org", null, "").listing(List.of(ip("127.255.255.254")))).isEmpty();
    }

    @Test
    void aBadZoneNameOrScoreIsAConfigurationError() {
        assertThatThrownBy(() -> DnsblZone.parse("not a zone", null, "")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> DnsblZone.parse("bl.example.org", "high", "")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> DnsblZone.parse("bl.example.org", null, "127.0.0.x")).isInstanceOf(ConfigurationException.class);
    }
}
