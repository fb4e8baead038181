package org.maildeck.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class SpooledCommandTest {

    private final SpooledCommand command;

    SpooledCommandTest() throws IOException {
        command = SpooledCommand.create();
    }

    @AfterEach
    void removeFile() throws IOException {
        command.discard();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, US_ASCII);
    }

    private String spooled() throws IOException {
        return Files.readString(command.file(), US_ASCII);
    }

    @Test
    void everyLiteralOfTheCommandIsSpooledUpToTheLineEndAfterTheLast() throws IOException {
        String multiappend = "a APPEND INBOX {5}\r\nfirst (\\Seen) {6}\r\nsecond {5+}\r\nthird\r\n";

        assertThat(command.append(bytes(multiappend))).isTrue();
        assertThat(spooled()).isEqualTo(multiappend);
    }

    @Test
    void aCommandArrivingInPiecesIsCompleteOnlyAfterItsLastLineEnd() throws IOException {
        assertThat(command.append(bytes("a APPEND INBOX {5}\r\nfir"))).isFalse();
        assertThat(command.append(bytes("st {6}\r"))).isFalse();
        assertThat(command.append(bytes("\nsecond"))).isFalse();
        assertThat(command.append(bytes("\r\n"))).isTrue();

        assertThat(spooled()).isEqualTo("a APPEND INBOX {5}\r\nfirst {6}\r\nsecond\r\n");
    }

    @Test
    void bytesAfterTheCommandAreLeftForTheNextOne() throws IOException {
        ByteBuf in = bytes("a APPEND INBOX {3}\r\nabc\r\nb NOOP\r\n");

        assertThat(command.append(in)).isTrue();
        assertThat(in.toString(US_ASCII)).isEqualTo("b NOOP\r\n");
        assertThat(spooled()).isEqualTo("a APPEND INBOX {3}\r\nabc\r\n");
    }

    @Test
    void lineEndsAndBracesInsideALiteralAreMessageData() throws IOException {
        String append = "a APPEND INBOX {12}\r\nx {2}\r\ny\r\n\r\n\r\n";

        assertThat(command.append(bytes(append))).isTrue();
        assertThat(spooled()).isEqualTo(append);
    }

    @Test
    void discardRemovesTheFile() throws IOException {
        command.append(bytes("a APPEND INBOX {100}\r\npart"));

        command.discard();

        assertThat(command.file()).doesNotExist();
    }
}
