package org.maildeck.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import java.net.SocketAddress;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.DefaultTransportMetadata;
import org.apache.mina.core.session.IoSessionConfig;
import org.apache.mina.filter.codec.ProtocolCodecSession;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.junit.jupiter.api.Test;

class MilterPacketDecoderTest {

    private final MilterPacketDecoder decoder = new MilterPacketDecoder(100);
    private final ProtocolCodecSession session = new ProtocolCodecSession();

    {
        // as a TCP socket is: bytes arrive in pieces, which the decoder must put together
        session.setTransportMetadata(new DefaultTransportMetadata("test", "stream", false, true, SocketAddress.class,
            IoSessionConfig.class, Object.class));
    }

    private void feed(byte[] bytes) throws Exception {
        decoder.decode(session, IoBuffer.wrap(bytes), session.getDecoderOutput());
    }

    private static byte[] packet(char command, String data) {
        byte[] payload = data.getBytes(StandardCharsets.ISO_8859_1);
        IoBuffer buffer = IoBuffer.allocate(5 + payload.length);
        buffer.putInt(payload.length + 1).put((byte) command).put(payload).flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void packetSplitAcrossReadsIsDecodedOnceComplete() throws Exception {
        byte[] whole = packet('H', "client.example\0");
        feed(java.util.Arrays.copyOfRange(whole, 0, 7));
        assertThat(session.getDecoderOutputQueue()).isEmpty();
        feed(java.util.Arrays.copyOfRange(whole, 7, whole.length));

        assertThat(session.getDecoderOutputQueue().poll())
            .isEqualTo(new MilterPacket(MilterPacket.HELO, "client.example\0".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void twoPacketsInOneReadAreBothDecoded() throws Exception {
        byte[] first = packet('N', "");
        byte[] second = packet('B', "body");
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        feed(both);

        assertThat(session.getDecoderOutputQueue()).hasSize(2);
    }

    @Test
    void lengthOverTheMaximumIsRefusedBeforeItsDataArrives() {
        assertThatThrownBy(() -> feed(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'B'}))
            .isInstanceOf(ProtocolDecoderException.class)
            .hasMessageContaining("packet length 2147483647 outside 1..100");
    }

    @Test
    void lengthOfZeroIsRefused() {
        assertThatThrownBy(() -> feed(new byte[] {0, 0, 0, 0}))
            .isInstanceOf(ProtocolDecoderException.class);
    }

    @Test
    void incompletePacketMarksTheSessionAsMidPacket() throws Exception {
        feed(new byte[] {0, 0, 0, 10, 'B', 'x'});

        assertThat(session.containsAttribute(MilterPacketDecoder.PARTIAL)).isTrue();
    }

    @Test
    void completePacketClearsTheMidPacketMark() throws Exception {
        feed(new byte[] {0, 0, 0, 3, 'B'});
        feed(new byte[] {'x', 'y'});

        assertThat(session.containsAttribute(MilterPacketDecoder.PARTIAL)).isFalse();
    }

    @Test
    void encoderWritesLengthCommandAndData() throws Exception {
        new MilterPacketEncoder().encode(session, new MilterPacket(MilterPacket.CONTINUE, new byte[0]), session.getEncoderOutput());

        IoBuffer written = (IoBuffer) session.getEncoderOutputQueue().poll();
        assertThat(written.getInt()).isEqualTo(1);
        assertThat(written.get()).isEqualTo((byte) 'c');
        assertThat(written.hasRemaining()).isFalse();
    }
}
