package org.maildeck.milter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The filter's reply packets. */
final class Replies {

    static final MilterPacket CONTINUE = new MilterPacket(MilterPacket.CONTINUE, new byte[0]);
    static final MilterPacket DISCARD = new MilterPacket(MilterPacket.DISCARD, new byte[0]);

    private Replies() {
    }

    static MilterPacket optionNegotiation(int version, int actions, int protocol) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(12);
        int32(data, version);
        int32(data, actions);
        int32(data, protocol);
        return new MilterPacket(MilterPacket.REPLY_OPTNEG, data.toByteArray());
    }

    /** An SMTP reply for the MTA to give its client, e.g. {@code 554 5.7.0 Virus found: Eicar}. */
    static MilterPacket replyCode(String reply) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        string(data, reply);
        return new MilterPacket(MilterPacket.REPLY_CODE, data.toByteArray());
    }

    static MilterPacket addHeader(String name, String value) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        string(data, name);
        string(data, value);
        return new MilterPacket(MilterPacket.ADD_HEADER, data.toByteArray());
    }

    /** Replaces the {@code index}th (from 1) header named {@code name}; an empty value removes it. */
    static MilterPacket changeHeader(int index, String name, String value) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int32(data, index);
        string(data, name);
        string(data, value);
        return new MilterPacket(MilterPacket.CHANGE_HEADER, data.toByteArray());
    }

    private static void int32(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void string(ByteArrayOutputStream out, String value) {
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
    }
}
