package org.maildeck.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void aPlainAddressIsTakenWithItsDomainLowerCased() {
        assertThat(ClientAddress.parseAddress("Alice.Smith+tag@Example.TEST")).contains(new ClientAddress("Alice.Smith+tag", "example.test"));
    }

    @Test
    void markupSpacesPathsAndControlCharactersAreRefused() {
        assertThat(ClientAddress.parseAddress("<script>@example.test")).isEmpty();
        assertThat(ClientAddress.parseAddress("a b@example.test")).isEmpty();
        assertThat(ClientAddress.parseAddress("alice@example.test/../etc")).isEmpty();
        assertThat(ClientAddress.parseAddress("alice\n@example.test")).isEmpty();
        assertThat(ClientAddress.parseAddress("alice@")).isEmpty();
        assertThat(ClientAddress.parseAddress("@example.test")).isEmpty();
        assertThat(ClientAddress.parseDomain("example..test")).isEmpty();
        assertThat(ClientAddress.parseDomain("-example.test")).isEmpty();
    }

    @Test
    void overLongAddressesAndLocalPartsAreRefused() {
        assertThat(ClientAddress.parseAddress("a".repeat(65) + "@example.test")).isEmpty();
        assertThat(ClientAddress.parseAddress("a@" + ("b".repeat(60) + ".").repeat(5) + "test")).isEmpty();
        assertThat(ClientAddress.parseDomain("x".repeat(64) + ".test")).isEmpty();
    }
}
