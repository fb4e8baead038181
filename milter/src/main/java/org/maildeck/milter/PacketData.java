package org.maildeck.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of a packet's data: NUL-terminated strings, bytes, 16- and 32-bit integers.
 * Anything that runs past the end is a malformed packet ({@link MalformedPacketException}).
 * Strings are read as ISO-8859-1, byte for byte, so 8-bit header text comes back unchanged.
 */
final class PacketData {

    private final byte[] data;
    private int position;

    PacketData(byte[] data) {
        this.data = data;
    }

    boolean hasMore() {
        return position < data.length;
    }

    String string() throws MalformedPacketException {
        for (int end = position; end < data.length; end++) {
            if (data[end] == 0) {
                String value = new String(data, position, end - position, StandardCharsets.ISO_8859_1);
                position = end + 1;
                return value;
            }
        }
        throw new MalformedPacketException("string without its terminating NUL");
    }

    /** The NUL-terminated strings up to the end. */
    List<String> strings() throws MalformedPacketException {
        List<String> values = new ArrayList<>();
        while (hasMore()) {
            values.add(string());
        }
        return values;
    }

    byte oneByte() throws MalformedPacketException {
        need(1);
        return data[position++];
    }

    int unsignedShort() throws MalformedPacketException {
        need(2);
        int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
        position += 2;
        return value;
    }

    int int32() throws MalformedPacketException {
        need(4);
        int value = ((data[position] & 0xff) << 24) | ((data[position + 1] & 0xff) << 16)
            | ((data[position + 2] & 0xff) << 8) | (data[position + 3] & 0xff);
        position += 4;
        return value;
    }

    private void need(int bytes) throws MalformedPacketException {
        if (data.length - position < bytes) {
            throw new MalformedPacketException("packet ends after " + data.length + " bytes, " + bytes + " more expected");
        }
    }
}
