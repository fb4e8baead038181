package org.maildeck.assembly.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * Over real loopback sockets and Netty's NIO transport, as James binds its listeners: a server
 * that answers each line with {@code + Ok} at once, as IMAP answers a literal's announcement.
 * What is asserted is the kernel's own view of the server's end after a reply: its
 * {@code TCP_QUICKACK} option, false while Linux would delay the ACK of the next data.
 */
class QuickAckAfterFlushTest {

    private static final int REPLIES = 5;

    private final EventLoopGroup group = new NioEventLoopGroup(1);

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void afterEachReplyTheConnectionAcknowledgesWhatArrivesNextAtOnce() throws Exception {
        assertThat(quickAckAfterEachReply(true)).as("TCP_QUICKACK after each of %d replies", REPLIES)
            .containsOnly(true).hasSize(REPLIES);
    }

    /** Why the handler is there: without it a quick reply puts the connection in delayed-ACK mode. */
    @Test
    void withoutItAQuickReplyLeavesTheConnectionDelayingItsNextAck() throws Exception {
        // A reply counts as quick when sent within the delayed-ACK timeout (40 ms) of the line it
        // answers; on a loaded machine one may take longer, so one of the replies is enough.
        assertThat(quickAckAfterEachReply(false)).as("TCP_QUICKACK after each of %d replies", REPLIES)
            .contains(false);
    }

    @Test
    void aReplyAfterWhichNoDataIsExpectedIsLeftToTheKernel() throws Exception {
        assertThat(quickAckAfterEachReply(QuickAckAfterFlush.when(channel -> false))).as("TCP_QUICKACK after each of %d replies", REPLIES)
            .contains(false);
    }

    private List<Boolean> quickAckAfterEachReply(boolean withHandler) throws Exception {
        return quickAckAfterEachReply(withHandler ? QuickAckAfterFlush.INSTANCE : null);
    }

    private List<Boolean> quickAckAfterEachReply(QuickAckAfterFlush handler) throws Exception {
        BlockingQueue<Channel> accepted = new ArrayBlockingQueue<>(1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    if (handler != null) {
                        channel.pipeline().addLast(QuickAckAfterFlush.NAME, handler);
                    }
                    channel.pipeline().addLast(new LineBasedFrameDecoder(1000), new ContinuationReply());
                    accepted.add(channel);
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
            client.setSoTimeout(30_000);
            Channel connection = accepted.poll(30, TimeUnit.SECONDS);
            OutputStream out = client.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), US_ASCII));
            List<Boolean> quickAck = new ArrayList<>();
            for (int i = 0; i < REPLIES; i++) {
                out.write(("a" + i + " APPEND INBOX {10}\r\n").getBytes(US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("+ Ok");
                // Runs on the event loop after the task that wrote the reply, so after the handler.
                quickAck.add(connection.eventLoop()
                    .submit(() -> connection.config().getOption(QuickAckAfterFlush.TCP_QUICKACK)).get(30, TimeUnit.SECONDS));
            }
            return quickAck;
        } finally {
            server.close().sync();
        }
    }

    private static final class ContinuationReply extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            ctx.channel().writeAndFlush(Unpooled.copiedBuffer("+ Ok\r\n", US_ASCII));
        }
    }
}
