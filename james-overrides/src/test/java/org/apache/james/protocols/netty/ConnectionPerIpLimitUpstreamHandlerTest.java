package org.apache.james.protocols.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.channel.embedded.EmbeddedChannel;

/** {@link EmbeddedChannel}s all have the same remote address: one client. */
class ConnectionPerIpLimitUpstreamHandlerTest {

    private final ConnectionPerIpLimitUpstreamHandler limit = ConnectionPerIpLimitUpstreamHandler.forCount(2).orElseThrow();

    @Test
    void aClientsConnectionOverTheLimitIsClosed() {
        new EmbeddedChannel(limit);
        new EmbeddedChannel(limit);

        assertThat(new EmbeddedChannel(limit).isOpen()).isFalse();
    }

    @Test
    void aClientWithoutConnectionsIsForgotten() {
        EmbeddedChannel first = new EmbeddedChannel(limit);
        EmbeddedChannel second = new EmbeddedChannel(limit);

        first.close();
        assertThat(limit.connections()).isEqualTo(Map.of("embedded", 1));
        second.close();

        assertThat(limit.connections()).isEmpty();
    }

    @Test
    void theRefusedConnectionIsCountedOffWhenItCloses() {
        new EmbeddedChannel(limit);
        new EmbeddedChannel(limit);
        EmbeddedChannel refused = new EmbeddedChannel(limit);

        refused.close();

        assertThat(limit.connections()).isEqualTo(Map.of("embedded", 2));
    }
}
