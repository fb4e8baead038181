package org.maildeck.assembly.liveness;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

class SmtpProbeTest {

    /** Accepts one connection and plays {@code script}: a greeting, then one reply per command read. */
    private static Thread serve(ServerSocket listener, List<String> commands, String greeting, String... replies) {
        Thread thread = new Thread(() -> {
            try (Socket client = listener.accept()) {
                OutputStream out = client.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), US_ASCII));
                out.write(greeting.getBytes(US_ASCII));
                for (String reply : replies) {
                    commands.add(in.readLine());
                    out.write(reply.getBytes(US_ASCII));
                }
                in.readLine();
            } catch (IOException e) {
                // the probe went away
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static InetSocketAddress wildcard(ServerSocket listener) {
        return new InetSocketAddress("0.0.0.0", listener.getLocalPort());
    }

    @Test
    void aListenerThatAnswersPassesAndIsLeftWithQuit() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> commands = new CopyOnWriteArrayList<>();
            Thread server = serve(listener, commands, "220-mx.test ESMTP\r\n220 welcome\r\n", "250 2.0.0 Ok\r\n", "221 2.0.0 Bye\r\n");

            assertThatCode(() -> SmtpProbe.session(wildcard(listener))).doesNotThrowAnyException();
            server.join(5000);
            assertThat(commands).containsExactly("NOOP", "QUIT");
        }
    }

    @Test
    void aRefusalIsAnAnswerToo() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serve(listener, new ArrayList<>(), "421 4.7.0 Too many connections\r\n");

            assertThatCode(() -> SmtpProbe.session(wildcard(listener))).doesNotThrowAnyException();
        }
    }

    @Test
    void aListenerThatTakesTheConnectionAndSaysNothingFailsWithinTheTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            // the kernel accepts the connection (backlog); nobody reads or writes, as in a hung server
            assertThatThrownBy(() -> SmtpProbe.session(wildcard(listener))).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SmtpProbe.TIMEOUT.plusSeconds(2));
        }
    }
}
