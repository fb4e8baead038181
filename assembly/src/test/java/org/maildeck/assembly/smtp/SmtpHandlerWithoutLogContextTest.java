package org.maildeck.assembly.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.metrics.api.Metric;
import org.apache.james.protocols.api.ProtocolConfigurationImpl;
import org.apache.james.protocols.api.ProtocolImpl;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerChainImpl;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.smtpserver.netty.SmtpMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

class SmtpHandlerWithoutLogContextTest {

    /** What the logging context held while each line was handled (an empty map for none). */
    private final List<Map<String, String>> contexts = new CopyOnWriteArrayList<>();
    private final CountingMetric connections = new CountingMetric();
    private final CountingMetric commands = new CountingMetric();
    private NioEventLoopGroup loop;
    private Channel server;

    private static final class CountingMetric implements Metric {
        final AtomicLong count = new AtomicLong();

        @Override
        public void increment() {
            count.incrementAndGet();
        }

        @Override
        public void decrement() {
            count.decrementAndGet();
        }

        @Override
        public void add(int value) {
            count.addAndGet(value);
        }

        @Override
        public void remove(int value) {
            count.addAndGet(-value);
        }

        @Override
        public long getCount() {
            return count.get();
        }
    }

    @BeforeEach
    void listen() throws Exception {
        ProtocolHandlerChainImpl chain = new ProtocolHandlerChainImpl();
        chain.add((LineHandler<ProtocolSession>) (session, line) -> {
            Map<String, String> context = MDC.getCopyOfContextMap();
            contexts.add(context == null ? Map.of() : context);
            return new SMTPResponse("250", "seen");
        });
        chain.wireExtensibleHandlers();
        ProtocolImpl protocol = new ProtocolImpl(chain, new ProtocolConfigurationImpl("Maildeck") { }) {
            @Override
            public String getName() {
                return "SMTP";
            }
        };
        SmtpMetrics metrics = new SmtpMetrics() {
            @Override
            public Metric getConnectionMetric() {
                return connections;
            }

            @Override
            public Metric getCommandsMetric() {
                return commands;
            }
        };
        loop = new NioEventLoopGroup(1);
        server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new SmtpHandlerWithoutLogContext(protocol, null, false, metrics));
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void close() throws Exception {
        server.close().sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private String sendOneLine(Socket client) throws Exception {
        client.getOutputStream().write("NOOP\r\n".getBytes(US_ASCII));
        return new BufferedReader(new InputStreamReader(client.getInputStream(), US_ASCII)).readLine();
    }

    private Socket connect() throws Exception {
        Socket client = new Socket();
        client.connect(server.localAddress());
        return client;
    }

    @Test
    void aLineIsHandledWithoutALoggingContext() throws Exception {
        try (Socket client = connect()) {
            assertThat(sendOneLine(client)).isEqualTo("250 seen");
        }

        assertThat(contexts).containsExactly(Map.of());
    }

    @Test
    void connectionsAndCommandsAreCountedAsJamesCountsThem() throws Exception {
        try (Socket client = connect()) {
            assertThat(sendOneLine(client)).isEqualTo("250 seen");
            assertThat(connections.getCount()).isEqualTo(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (connections.getCount() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(connections.getCount()).isZero();
        assertThat(commands.getCount()).isEqualTo(1);
    }
}
