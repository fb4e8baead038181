package org.maildeck.antivirus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClamdAddressTest {

    @Test
    void hostAndPortIsTcp() {
        assertThat(ClamdAddress.parse("127.0.0.1:3310").toString()).isEqualTo("127.0.0.1:3310");
    }

    @Test
    void anIpv6HostMayBeBracketed() {
        assertThat(ClamdAddress.parse("[::1]:3310").toString()).isEqualTo("::1:3310");
    }

    @Test
    void aPathIsAUnixSocket() {
        assertThat(ClamdAddress.parse("/run/clamav/clamd.ctl").toString()).isEqualTo("unix:/run/clamav/clamd.ctl");
        assertThat(ClamdAddress.parse("unix:/run/clamav/clamd.ctl").toString()).isEqualTo("unix:/run/clamav/clamd.ctl");
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> ClamdAddress.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClamdAddress.parse("localhost:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClamdAddress.parse("localhost:70000")).isInstanceOf(IllegalArgumentException.class);
    }
}
