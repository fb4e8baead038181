package org.maildeck.mailauth.greylist;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The network greylisting knows a client by (postgrey's {@code --lookup-by-subnet}): its /24 for
 * IPv4 and its /64 for IPv6, since large senders retry from another address of the same pool,
 * and an IPv6 host may change its address within its /64 at will. Written as
 * {@code 192.0.2.0/24} or {@code 2001:db8:1:2:0:0:0:0/64}.
 */
public final class ClientNetwork {

    private ClientNetwork() {
    }

    public static String of(InetAddress client) {
        byte[] bytes = client.getAddress();
        int prefix = client instanceof Inet4Address ? 24 : 64;
        byte[] network = Arrays.copyOf(Arrays.copyOf(bytes, prefix / 8), bytes.length);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are an address", impossible);
        }
    }
}
