package org.maildeck.milter;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MilterSessionTest {

    /** Records what reached the decision and accepts without changes. */
    private static final class Recorder implements EndOfMessage {
        final List<String> decided = new ArrayList<>();
        final List<String> tooLarge = new ArrayList<>();

        @Override
        public Verdict decide(ReceivedMessage message) {
            try (InputStream content = message.content().getInputStream()) {
                decided.add(message.queueId() + " " + message.sender() + " " + message.recipients() + " " + message.client() + "\n"
                    + new String(content.readAllBytes(), ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Verdict.accept(List.of(Verdict.addHeader("X-Virus-Scanned", "Maildeck")));
        }

        @Override
        public Verdict tooLarge(ReceivedMessage message) {
            tooLarge.add(message.queueId() + " " + message.size());
            return Verdict.refuse("552 5.3.4 Message size exceeds fixed limit");
        }
    }

    private final Recorder recorder = new Recorder();
    private final MilterSession session = new MilterSession(recorder, 1000);

    @AfterEach
    void releaseTheMessage() {
        session.close();
    }

    private List<MilterPacket> send(byte command, byte[] data) throws Exception {
        return session.handle(new MilterPacket(command, data));
    }

    private void negotiate(int protocol) throws Exception {
        send(MilterPacket.OPTNEG, MilterClient.ints(6, MilterClient.ALL_ACTIONS, protocol));
    }

    private static byte[] macro(char stage, String name, String value) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(stage);
        data.writeBytes(MilterClient.strings(name, value));
        return data.toByteArray();
    }

    private void startMessage() throws Exception {
        negotiate(MilterClient.ALL_STEPS);
        send(MilterPacket.CONNECT, concat(MilterClient.strings("client.example"), new byte[] {'4', 0, 25}, MilterClient.strings("192.0.2.7")));
        send(MilterPacket.MACRO, macro('M', "i", "4XyZ1"));
        send(MilterPacket.MAIL, MilterClient.strings("<alice@example.org>", "SIZE=100"));
        send(MilterPacket.RCPT, MilterClient.strings("<bob@example.com>"));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            data.writeBytes(part);
        }
        return data.toByteArray();
    }

    @Test
    void negotiationAnswersVersion6WithHeaderActionsAndOnlyOfferedSteps() throws Exception {
        List<MilterPacket> replies = send(MilterPacket.OPTNEG, MilterClient.ints(6, MilterClient.ALL_ACTIONS, 0x100 | 0x1000));

        assertThat(replies).containsExactly(Replies.optionNegotiation(6, 0x11, 0x100 | 0x1000));
    }

    @Test
    void versionBelow6IsRefused() {
        assertThatThrownBy(() -> send(MilterPacket.OPTNEG, MilterClient.ints(2, MilterClient.ALL_ACTIONS, MilterClient.ALL_STEPS)))
            .isInstanceOf(MalformedPacketException.class)
            .hasMessageContaining("version 2");
    }

    @Test
    void commandBeforeNegotiationIsMalformed() {
        assertThatThrownBy(() -> send(MilterPacket.HELO, MilterClient.strings("client.example")))
            .isInstanceOf(MalformedPacketException.class)
            .hasMessageContaining("before option negotiation");
    }

    @Test
    void unknownCommandIsMalformed() throws Exception {
        negotiate(MilterClient.ALL_STEPS);

        assertThatThrownBy(() -> send((byte) 'Z', new byte[0]))
            .isInstanceOf(MalformedPacketException.class)
            .hasMessageContaining("unknown command 'Z'");
    }

    @Test
    void stringWithoutItsNulIsMalformed() throws Exception {
        negotiate(MilterClient.ALL_STEPS);

        assertThatThrownBy(() -> send(MilterPacket.HELO, "client.example".getBytes(ISO_8859_1)))
            .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void stepsNegotiatedWithoutReplyGetNone() throws Exception {
        startMessage();

        assertThat(send(MilterPacket.HEADER, MilterClient.strings("Subject", "hello"))).isEmpty();
    }

    @Test
    void stepsTheMtaWaitsForAreContinued() throws Exception {
        negotiate(0);

        assertThat(send(MilterPacket.HELO, MilterClient.strings("client.example"))).containsExactly(Replies.CONTINUE);
    }

    @Test
    void endOfBodyHandsTheWholeMessageWithPostfixQueueIdToTheDecision() throws Exception {
        startMessage();
        send(MilterPacket.HEADER, MilterClient.strings("Subject", "hello"));
        send(MilterPacket.END_OF_HEADERS, new byte[0]);
        send(MilterPacket.BODY, "Hi Bob.\r\n".getBytes(ISO_8859_1));
        send(MilterPacket.MACRO, macro('E', "i", "4XyZ1"));

        List<MilterPacket> replies = send(MilterPacket.END_OF_BODY, new byte[0]);

        assertThat(recorder.decided).containsExactly(
            "4XyZ1 alice@example.org [bob@example.com] client.example[192.0.2.7]\nSubject: hello\r\n\r\nHi Bob.\r\n");
        assertThat(replies).containsExactly(Replies.addHeader("X-Virus-Scanned", "Maildeck"), Replies.CONTINUE);
    }

    @Test
    void bodyOverTheMaximumIsRefusedAtOnceWithoutTheDecision() throws Exception {
        startMessage();
        send(MilterPacket.END_OF_HEADERS, new byte[0]);

        List<MilterPacket> replies = send(MilterPacket.BODY, new byte[1001]);

        assertThat(replies).containsExactly(Replies.replyCode("552 5.3.4 Message size exceeds fixed limit"));
        assertThat(recorder.tooLarge).containsExactly("4XyZ1 1003");
        assertThat(recorder.decided).isEmpty();
    }

    @Test
    void bodyAfterAbortIsMalformed() throws Exception {
        startMessage();
        send(MilterPacket.ABORT, new byte[0]);

        assertThatThrownBy(() -> send(MilterPacket.BODY, "x".getBytes(ISO_8859_1)))
            .isInstanceOf(MalformedPacketException.class)
            .hasMessageContaining("before MAIL");
    }

    @Test
    void endlessRecipientsAreMalformedPastTheLimit() throws Exception {
        startMessage();
        for (int i = 1; i < MilterSession.MAX_RECIPIENTS; i++) {
            send(MilterPacket.RCPT, MilterClient.strings("<r" + i + "@example.com>"));
        }

        assertThatThrownBy(() -> send(MilterPacket.RCPT, MilterClient.strings("<one-too-many@example.com>")))
            .isInstanceOf(MalformedPacketException.class)
            .hasMessageContaining("more than 1000 recipients");
    }

    @Test
    void endlessMacroNamesAreMalformedPastTheLimit() throws Exception {
        negotiate(MilterClient.ALL_STEPS);
        for (int i = 0; i < MilterSession.MAX_MACROS; i++) {
            send(MilterPacket.MACRO, macro('C', "{m" + i + "}", "v"));
        }

        assertThatThrownBy(() -> send(MilterPacket.MACRO, macro('C', "{one_too_many}", "v")))
            .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void quitAsksForTheConnectionToClose() throws Exception {
        negotiate(MilterClient.ALL_STEPS);

        assertThat(send(MilterPacket.QUIT, new byte[0])).isEmpty();
        assertThat(session.quit()).isTrue();
    }
}
