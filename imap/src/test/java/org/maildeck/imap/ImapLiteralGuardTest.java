package org.maildeck.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class ImapLiteralGuardTest {

    /** A logged-in connection: limit 100 bytes, 3 literals per command, 4 levels of parentheses. */
    private final EmbeddedChannel channel = new EmbeddedChannel(new ImapLiteralGuard(100, 250, 3, 4, ignored -> true));

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
    }

    private String passedOn() {
        StringBuilder passed = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readInbound()) != null) {
            passed.append(buf.toString(US_ASCII));
            buf.release();
        }
        return passed.toString();
    }

    private String answered() {
        StringBuilder answer = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            answer.append(buf.toString(US_ASCII));
            buf.release();
        }
        return answer.toString();
    }

    @Test
    void commandsAndLiteralsWithinTheLimitPassUnchanged() {
        String session = "a LOGIN {4}\r\nuser {6+}\r\nsecret\r\nb APPEND INBOX {10}\r\n0123456789\r\nc NOOP\r\n";
        send(session);

        assertThat(passedOn()).isEqualTo(session);
        assertThat(answered()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void literalOverTheLimitIsAnsweredWithTheCommandTagAndTheConnectionClosed() {
        send("b APPEND INBOX {101}\r\n");

        assertThat(passedOn()).isEmpty();
        assertThat(answered()).isEqualTo("b BAD [TOOBIG] Literal of 101 bytes is larger than the limit of 100 bytes\r\n"
            + "* BYE Connection closed\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void nonSynchronisingLiteralOverTheLimitIsRefusedToo() {
        send("a LOGIN {5000000000+}\r\nxxxx");

        assertThat(passedOn()).isEmpty();
        assertThat(answered()).startsWith("a BAD [TOOBIG] Literal of 5000000000 bytes");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusedLiteralInAContinuationLineCarriesTheCommandTag() {
        send("t1 LOGIN {4}\r\nuser {500}\r\n");

        assertThat(answered()).startsWith("t1 BAD [TOOBIG]");
    }

    @Test
    void literalAnnouncementSplitAcrossReadsIsSeen() {
        send("b APPEND INBOX {1");
        send("01}");
        send("\r\n");

        assertThat(answered()).startsWith("b BAD [TOOBIG] Literal of 101 bytes");
    }

    @Test
    void braceTextInsideALiteralIsMessageDataNotAnAnnouncement() {
        String session = "b APPEND INBOX {12}\r\nx {999999}\r\n\r\nc NOOP\r\n";
        send(session);

        assertThat(passedOn()).isEqualTo(session);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void tooManyLiteralsInOneCommandAreRefused() {
        send("a X {1}\r\n1 {1}\r\n2 {1}\r\n3 {1}\r\n");

        assertThat(answered()).contains("a BAD [TOOBIG] More than 3 literals in one command");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void literalsOfOneCommandTogetherOverTheCommandLimitAreRefused() {
        send("a APPEND INBOX {100+}\r\n" + "x".repeat(100) + " {100+}\r\n" + "y".repeat(100) + " {51}\r\n");

        assertThat(answered()).isEqualTo("a BAD [TOOBIG] Literals of 251 bytes in one command, more than the limit of 250 bytes\r\n"
            + "* BYE Connection closed\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void literalSumStartsAgainWithTheNextCommand() {
        String session = "a APPEND INBOX {100+}\r\n" + "x".repeat(100) + " {100+}\r\n" + "y".repeat(100) + "\r\n"
            + "b APPEND INBOX {100+}\r\n" + "z".repeat(100) + "\r\n";
        send(session);

        assertThat(passedOn()).isEqualTo(session);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aFirstSynchronisingLiteralIsLeftToJamesToContinue() {
        send("a APPEND INBOX {1}\r\n");

        assertThat(answered()).isEmpty();
    }

    @Test
    void aSecondSynchronisingLiteralOfACommandIsContinued() {
        send("a APPEND INBOX {1}\r\n1 {1}\r\n");

        assertThat(answered()).isEqualTo("+ Ok\r\n");
    }

    @Test
    void aSynchronisingLiteralAfterOnlyNonSynchronisingOnesIsLeftToJames() {
        send("a APPEND INBOX {1+}\r\n1 {1}\r\n");

        assertThat(answered()).isEmpty();
    }

    @Test
    void theNextCommandsFirstLiteralIsLeftToJamesAgain() {
        send("a APPEND INBOX {1}\r\n1\r\nb APPEND INBOX {1}\r\n");

        assertThat(answered()).isEmpty();
    }

    @Test
    void literalCountStartsAgainWithTheNextCommand() {
        String session = "a X {1}\r\n1 {1}\r\n2\r\nb X {1}\r\n1 {1}\r\n2\r\n";
        send(session);

        assertThat(passedOn()).isEqualTo(session);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void longLineWithoutAnnouncementIsLeftToJamesLineLimit() {
        String line = "a " + "x".repeat(200_000) + "\r\n";
        send(line);

        assertThat(passedOn()).isEqualTo(line);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void beforeLoginALiteralOver8KilobytesIsRefusedThoughTheLimitIsHigher() {
        EmbeddedChannel beforeLogin = new EmbeddedChannel(new ImapLiteralGuard(50L * 1024 * 1024, 0, 3, 4, ignored -> false));
        beforeLogin.writeInbound(Unpooled.copiedBuffer("A1 LOGIN {50331648}\r\n", US_ASCII));

        assertThat((Object) beforeLogin.readInbound()).isNull();
        ByteBuf answer = beforeLogin.readOutbound();
        assertThat(answer.toString(US_ASCII)).startsWith("A1 BAD [TOOBIG] Literal of 50331648 bytes is larger than the 8192 bytes allowed before authentication");
        answer.release();
        assertThat(beforeLogin.isOpen()).isFalse();
    }

    @Test
    void beforeLoginALiteralOf8KilobytesPasses() {
        EmbeddedChannel beforeLogin = new EmbeddedChannel(new ImapLiteralGuard(50L * 1024 * 1024, 0, 3, 4, ignored -> false));
        String login = "A1 LOGIN user {8192}\r\n" + "x".repeat(8192) + "\r\n";
        beforeLogin.writeInbound(Unpooled.copiedBuffer(login, US_ASCII));

        ByteBuf passed = beforeLogin.readInbound();
        assertThat(passed.toString(US_ASCII)).isEqualTo(login);
        passed.release();
        assertThat(beforeLogin.isOpen()).isTrue();
    }

    @Test
    void commandNestedTooDeepIsCutBeforeItsParenthesisTooManyAndTheRestDropped() {
        send("a NOOP\r\nb SEARCH (((((ALL))))) \"(((((\"\r\nc NOOP\r\n");

        assertThat(passedOn()).isEqualTo("a NOOP\r\nb SEARCH ((((\r\nc NOOP\r\n");
        assertThat(answered()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void parenthesesInQuotedStringsAreNotNesting() {
        String session = "b SEARCH SUBJECT \"((((((\\\"((((\" (ALL)\r\n";
        send(session);

        assertThat(passedOn()).isEqualTo(session);
    }

    @Test
    void droppedCommandEndsAtASynchronisingLiteralAndSkipsANonSynchronisingOne() {
        send("b SEARCH ((((( {3+}\r\n(((\r\nc NOOP\r\nd SEARCH ((((( {20}\r\ne NOOP\r\n");

        assertThat(passedOn()).isEqualTo("b SEARCH ((((\r\nc NOOP\r\nd SEARCH ((((\r\ne NOOP\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void nestingSplitAcrossReadsIsCountedOnce() {
        send("b SEARCH ((");
        send("((( ALL)))))\r\nc NOOP\r\n");

        assertThat(passedOn()).isEqualTo("b SEARCH ((((\r\nc NOOP\r\n");
    }
}
