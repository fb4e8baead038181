package org.maildeck.milter;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;

/** Writes a {@link MilterPacket} as the length field, the command byte and the data. */
public class MilterPacketEncoder extends ProtocolEncoderAdapter {

    @Override
    public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
        MilterPacket packet = (MilterPacket) message;
        IoBuffer buffer = IoBuffer.allocate(5 + packet.length());
        buffer.putInt(1 + packet.length());
        buffer.put(packet.command());
        buffer.put(packet.data());
        buffer.flip();
        out.write(buffer);
    }
}
