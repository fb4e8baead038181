package org.maildeck.mailets.smtpd;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.common.base.Splitter;
import com.google.common.net.InetAddresses;

/**
 * Client networks that may relay without logging in (Postfix {@code mynetworks}): IPv4 and
 * IPv6 addresses with an optional prefix length, e.g. {@code 192.0.2.0/24, [2001:db8::]/32, ::1}.
 *
 * <p>Written here rather than taken from James's {@code NetMatcher}, which mis-reads IPv6
 * prefix lengths ({@code ::1/128} matches a whole /64). Only address literals are accepted, so a
 * typo never turns into a DNS lookup or a host name that trusts whoever controls its DNS.</p>
 */
public final class TrustedNetworks {

    private record Block(byte[] network, int prefixLength) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = 0xFF << (8 - remainingBits) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;
    private final String description;

    private TrustedNetworks(List<Block> blocks, String description) {
        this.blocks = blocks;
        this.description = description;
    }

    /**
     * Reads a comma or white-space separated list.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or network
     */
    public static TrustedNetworks parse(String list) {
        List<Block> blocks = new ArrayList<>();
        List<String> entries = Splitter.onPattern("[,\\s]+").omitEmptyStrings().splitToList(list);
        for (String entry : entries) {
            blocks.add(block(entry));
        }
        return new TrustedNetworks(List.copyOf(blocks), String.join(", ", entries));
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String addressPart = slash < 0 ? entry : entry.substring(0, slash);
        if (addressPart.startsWith("[") && addressPart.endsWith("]")) {
            addressPart = addressPart.substring(1, addressPart.length() - 1);
        }
        if (!InetAddresses.isInetAddress(addressPart)) {
            throw new IllegalArgumentException("not an IP address or network: " + entry);
        }
        byte[] network = InetAddresses.forString(addressPart).getAddress();
        int maxLength = network.length * 8;
        int prefixLength = maxLength;
        if (slash >= 0) {
            try {
                prefixLength = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + entry);
            }
            if (prefixLength < 0 || prefixLength > maxLength) {
                throw new IllegalArgumentException("prefix length out of range (0-" + maxLength + ") in " + entry);
            }
        }
        return new Block(network, prefixLength);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = unmapped(address);
        return blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    /** An IPv4 client reached over an IPv6 socket ({@code ::ffff:192.0.2.1}) counts as IPv4. */
    private static byte[] unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    @Override
    public String toString() {
        return description;
    }
}
