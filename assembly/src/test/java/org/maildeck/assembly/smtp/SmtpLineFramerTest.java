package org.maildeck.assembly.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.protocols.netty.CommandInjectionDetectedException;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;

/**
 * The framer in command mode (no session yet: lines of a message are framed with the data limit
 * once DATA is under way, which SmtpLineLimitsIT checks end to end).
 */
class SmtpLineFramerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineFramer(new SmtpLimits(512, 4096, 1000)));

    // What the framer reports down the pipeline (EmbeddedChannel rethrows it from writeInbound).
    private final List<Throwable> reported = new ArrayList<>();

    private void send(String text) {
        try {
            channel.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
        } catch (RuntimeException e) {
            reported.add(e);
        }
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readInbound()) != null) {
            lines.add(buf.toString(US_ASCII));
            buf.release();
        }
        return lines;
    }

    @Test
    void commandLinesUpToTheLimitArePassedOnWithTheirCrlf() {
        String longest = "NOOP " + "x".repeat(512 - 7) + "\r\n";
        send("EHLO client.test\r\n" + longest);

        assertThat(lines()).containsExactly("EHLO client.test\r\n", longest);
        assertThat(reported).isEmpty();
    }

    @Test
    void aLineSplitOverSeveralReadsIsOneLine() {
        send("MAIL FROM:<a");
        send("@b.example>");
        send("\r\nRCPT TO:<c@d.example>\r\n");

        assertThat(lines()).containsExactly("MAIL FROM:<a@b.example>\r\n", "RCPT TO:<c@d.example>\r\n");
    }

    @Test
    void aCommandLineOneByteOverTheLimitIsReportedInItsPlaceAndTheNextLineFollows() {
        send("NOOP\r\n");
        send("NOOP " + "x".repeat(512 - 6) + "\r\nRSET\r\n");

        assertThat(lines()).containsExactly("NOOP\r\n", "RSET\r\n");
        assertThat(reported).singleElement().isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void aLongLineArrivingInPiecesIsDroppedWithoutBeingKeptAndReportedOnce() {
        for (int i = 0; i < 20; i++) {
            send("y".repeat(300));
        }
        assertThat(lines()).isEmpty();
        assertThat(reported).isEmpty();
        send("yyy\r\nQUIT\r\n");

        assertThat(lines()).containsExactly("QUIT\r\n");
        assertThat(reported).singleElement().isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void aCommandSentBehindStartTlsIsRefused() {
        send("STARTTLS\r\nMAIL FROM:<a@b.example>\r\n");

        assertThat(reported).singleElement().satisfies(e -> assertThat(e).hasCauseInstanceOf(CommandInjectionDetectedException.class));
        assertThat(lines()).isEmpty();
    }

    @Test
    void aCommandSentBeforeTheHandshakeAfterStartTlsIsRefused() {
        send("STARTTLS\r\n");
        assertThat(lines()).containsExactly("STARTTLS\r\n");

        send("MAIL FROM:<a@b.example>\r\n");

        assertThat(reported).singleElement().satisfies(e -> assertThat(e).hasCauseInstanceOf(CommandInjectionDetectedException.class));
        assertThat(lines()).isEmpty();
    }
}
