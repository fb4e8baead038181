package org.maildeck.localdaemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DaemonAddressTest {

    @Test
    void hostAndPortIsTcp() {
        assertThat(DaemonAddress.parse("127.0.0.1:3310").toString()).isEqualTo("127.0.0.1:3310");
    }

    @Test
    void anIpv6HostMayBeBracketed() {
        assertThat(DaemonAddress.parse("[::1]:3310").toString()).isEqualTo("::1:3310");
    }

    @Test
    void aPathIsAUnixSocket() {
        assertThat(DaemonAddress.parse("/run/clamav/clamd.ctl").toString()).isEqualTo("unix:/run/clamav/clamd.ctl");
        assertThat(DaemonAddress.parse("unix:/run/clamav/clamd.ctl").toString()).isEqualTo("unix:/run/clamav/clamd.ctl");
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> DaemonAddress.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DaemonAddress.parse("localhost:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DaemonAddress.parse("localhost:70000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTcpOnlyDaemonRefusesASocketPath() {
        assertThat(DaemonAddress.parseTcp("127.0.0.1:783").toString()).isEqualTo("127.0.0.1:783");
        assertThatThrownBy(() -> DaemonAddress.parseTcp("/run/spamd.sock")).isInstanceOf(IllegalArgumentException.class);
    }
}
