package org.apache.james.protocols.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

class ConnectionLimitUpstreamHandlerTest {

    private final ConnectionLimitUpstreamHandler limit = ConnectionLimitUpstreamHandler.forCount(2).orElseThrow();

    @Test
    void aConnectionOverTheLimitIsClosed() {
        EmbeddedChannel first = new EmbeddedChannel(limit);
        EmbeddedChannel second = new EmbeddedChannel(limit);

        EmbeddedChannel third = new EmbeddedChannel(limit);

        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
    }

    @Test
    void aClosedConnectionIsCountedOff() {
        EmbeddedChannel first = new EmbeddedChannel(limit);
        new EmbeddedChannel(limit);

        first.close();

        assertThat(limit.connections()).isEqualTo(1);
        assertThat(new EmbeddedChannel(limit).isOpen()).isTrue();
    }

    @Test
    void aChannelThatNeverBecameActiveIsNotCountedOff() {
        new EmbeddedChannel(limit);
        // a handler ahead of the limit fails at activation: Netty closes the channel, the limit never saw it
        EmbeddedChannel failed = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.close();
            }
        }, limit);

        failed.close();

        assertThat(limit.connections()).isEqualTo(1);
    }

    @Test
    void noLimitForZero() {
        assertThat(ConnectionLimitUpstreamHandler.forCount(0)).isEmpty();
    }
}
