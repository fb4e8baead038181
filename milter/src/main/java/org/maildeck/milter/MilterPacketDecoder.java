package org.maildeck.milter;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Cuts the MTA's byte stream into {@link MilterPacket}s. The length field comes from the other
 * end: it is checked against the configured maximum before anything is kept for it, so the most
 * a connection holds is one packet of the maximum size; a length of 0 or over the maximum is a
 * broken or hostile peer, and the connection is closed (by the handler, with a log line).
 *
 * <p>While bytes of an incomplete packet are held, the session carries {@link #PARTIAL}, so that
 * an idle connection can be told from one that stalls in the middle of a packet.</p>
 */
public class MilterPacketDecoder extends CumulativeProtocolDecoder {

    /** Session attribute, present while part of a packet has arrived and the rest has not. */
    public static final String PARTIAL = MilterPacketDecoder.class.getName() + ".partial";

    private static final int LENGTH_FIELD = 4;

    private final int maxPacket;

    /** @param maxPacket the largest length field accepted (command byte and data) */
    public MilterPacketDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        if (in.remaining() < LENGTH_FIELD) {
            markPartial(session, in.hasRemaining());
            return false;
        }
        long length = in.getUnsignedInt(in.position());
        if (length < 1 || length > maxPacket) {
            // nothing of it is read or kept: the connection is closed
            in.position(in.limit());
            throw new ProtocolDecoderException("packet length " + length + " outside 1.." + maxPacket);
        }
        if (in.remaining() < LENGTH_FIELD + length) {
            markPartial(session, true);
            return false;
        }
        in.skip(LENGTH_FIELD);
        byte command = in.get();
        byte[] data = new byte[(int) length - 1];
        in.get(data);
        markPartial(session, in.hasRemaining());
        out.write(new MilterPacket(command, data));
        return true;
    }

    private static void markPartial(IoSession session, boolean partial) {
        if (partial) {
            session.setAttributeIfAbsent(PARTIAL, Boolean.TRUE);
        } else {
            session.removeAttribute(PARTIAL);
        }
    }
}
