package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The test launcher of a private Postfix: it relays to its next hop and keeps what it cannot deliver. */
class PostfixProcessIT {

    private static final byte[] MESSAGE = "From: a@client.test\r\nTo: b@next.test\r\nSubject: via Postfix\r\n\r\nhello\r\n".getBytes(US_ASCII);

    @Test
    void relaysAcceptedMailToItsNextHop() throws Exception {
        try (SmtpSink sink = new SmtpSink(); PostfixProcess postfix = PostfixProcess.start(PostfixProcess.Options.relayingTo(sink.port()))) {
            SmtpClient.deliver(postfix.smtpPort(), "a@client.test", List.of("b@next.test"), MESSAGE);

            assertThat(sink.awaitMessageFor("b@next.test", Duration.ofSeconds(30)))
                .hasValueSatisfying(received -> assertThat(received.data()).contains("Subject: via Postfix"));
        }
    }

    @Test
    void keepsMailInItsQueueWhileTheNextHopIsDownAndDeliversItAfterFlush() throws Exception {
        int port = org.maildeck.localdaemon.TestDaemon.freePort();
        try (PostfixProcess postfix = PostfixProcess.start(PostfixProcess.Options.relayingTo(port))) {
            SmtpClient.deliver(postfix.smtpPort(), "a@client.test", List.of("b@next.test"), MESSAGE);
            postfix.awaitMailLog("status=deferred");
            assertThat(postfix.queueIds()).hasSize(1);

            try (SmtpSink sink = new SmtpSink(new java.net.InetSocketAddress("127.0.0.1", port))) {
                postfix.flush();

                assertThat(sink.awaitMessageFor("b@next.test", Duration.ofSeconds(30))).isPresent();
                postfix.awaitQueued(0);
            }
        }
    }
}
