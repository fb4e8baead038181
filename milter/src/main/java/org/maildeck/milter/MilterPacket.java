package org.maildeck.milter;

import java.util.Arrays;

/**
 * One packet of the Sendmail milter protocol, either way: on the wire a 4-byte big-endian length
 * (counting the command byte and the data), the command byte, the data.
 */
public record MilterPacket(byte command, byte[] data) {

    /** Commands the MTA sends (libmilter's {@code SMFIC_*}). */
    public static final byte OPTNEG = 'O';
    public static final byte MACRO = 'D';
    public static final byte CONNECT = 'C';
    public static final byte HELO = 'H';
    public static final byte MAIL = 'M';
    public static final byte RCPT = 'R';
    public static final byte DATA = 'T';
    public static final byte HEADER = 'L';
    public static final byte END_OF_HEADERS = 'N';
    public static final byte BODY = 'B';
    public static final byte END_OF_BODY = 'E';
    public static final byte ABORT = 'A';
    public static final byte QUIT = 'Q';
    /** Version 6: quit this SMTP session, the MTA's connection stays for the next one. */
    public static final byte QUIT_NEW_CONNECTION = 'K';
    public static final byte UNKNOWN = 'U';

    /** Replies of the filter ({@code SMFIR_*}). */
    public static final byte REPLY_OPTNEG = 'O';
    public static final byte CONTINUE = 'c';
    public static final byte ACCEPT = 'a';
    public static final byte DISCARD = 'd';
    public static final byte TEMPFAIL = 't';
    public static final byte REPLY_CODE = 'y';
    public static final byte ADD_HEADER = 'h';
    public static final byte CHANGE_HEADER = 'm';

    public MilterPacket {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data's length, without copying it. */
    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MilterPacket packet && packet.command == command && Arrays.equals(packet.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * command + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "'" + (char) command + "' (" + data.length + " bytes)";
    }
}
