package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpfDnsTest {

    @Test
    void theLookupTermsOfARecordAreCountedWhateverTheirCaseAndQualifier() {
        String record = "v=spf1 -A MX:mail.example.com ~ptr:example.com ?include:_spf.example.net +exists:%{i}.x.example"
            + " a/24 mx/24 Redirect=example.org";

        assertThat(SpfDns.queryingTermsOf(record)).isEqualTo(8);
    }

    @Test
    void termsThatAskNoDnsAreNotCounted() {
        String record = "v=spf1  ip4:192.0.2.0/24 ip6:2001:db8::/32 all -all exp=explain.example.com aa mxx ptrx a- include";

        assertThat(SpfDns.queryingTermsOf(record)).isZero();
    }
}
