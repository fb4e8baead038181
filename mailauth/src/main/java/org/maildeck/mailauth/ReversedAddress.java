package org.maildeck.mailauth;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A client address as DNS blocklists are queried under a zone (RFC 5782 2.1 and 2.4): IPv4's
 * four octets reversed ({@code 192.0.2.7} gives {@code 7.2.0.192}); IPv6's 32 nibbles reversed,
 * each a hex digit ({@code 2001:db8::1} gives {@code 1.0.0.0....8.b.d.0.1.0.0.2}), the
 * {@code ip6.arpa} form. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}) is queried as the
 * IPv4 address it is.
 */
final class ReversedAddress {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ReversedAddress() {
    }

    static String of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address || isIpv4Mapped(bytes)) {
            int start = bytes.length - 4;
            return (bytes[start + 3] & 0xFF) + "." + (bytes[start + 2] & 0xFF) + "." + (bytes[start + 1] & 0xFF) + "." + (bytes[start] & 0xFF);
        }
        StringBuilder name = new StringBuilder(63);
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(HEX[bytes[i] & 0x0F]).append('.').append(HEX[(bytes[i] >> 4) & 0x0F]);
        }
        return name.toString();
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }
}
