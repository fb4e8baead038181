package org.maildeck.mailets.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressPartTest {

    @Test
    void userAndDetailAreCutAtTheFirstDelimiter() {
        assertThat(AddressPart.USER.of("alice+lists+x", "example.org", "+")).hasValue("alice");
        assertThat(AddressPart.DETAIL.of("alice+lists+x", "example.org", "+")).hasValue("lists+x");
    }

    @Test
    void anAddressWithoutDelimiterHasNoDetailAndIsAllUser() {
        assertThat(AddressPart.DETAIL.of("alice", "example.org", "+")).isEmpty();
        assertThat(AddressPart.USER.of("alice", "example.org", "+")).hasValue("alice");
    }

    @Test
    void eachCharacterOfTheDelimiterStringIsADelimiter() {
        assertThat(AddressPart.DETAIL.of("alice-lists", "example.org", "+-")).hasValue("lists");
    }

    @Test
    void anEnvelopeAddressIsSplitAtItsLastAt() {
        assertThat(AddressPart.DETAIL.ofEnvelope("bob+work@Example.ORG", "+")).hasValue("work");
        assertThat(AddressPart.DOMAIN.ofEnvelope("bob+work@Example.ORG", "+")).hasValue("example.org");
        assertThat(AddressPart.ALL.ofEnvelope("", "+")).hasValue("");
    }
}
