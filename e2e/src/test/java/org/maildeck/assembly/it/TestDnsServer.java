package org.maildeck.assembly.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for a test zone (UDP; MX, A and TXT records), so that outbound
 * delivery can be tested with a real MX lookup, and DKIM with real key lookups. Every other name
 * is NXDOMAIN. Answers fit the client's EDNS size (dnsjava asks for 1280 bytes): no TCP. Uses dnsjava, the
 * resolver library James itself uses.
 */
final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, String> mxHosts = new ConcurrentHashMap<>();
    private final Map<String, String> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> texts = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private final Set<String> garbage = ConcurrentHashMap.newKeySet();

    /** Binds {@code address}; port 53 needs root, as resolvers configured by IP always use it. */
    TestDnsServer(InetSocketAddress address) throws IOException {
        socket = new DatagramSocket(address);
        Thread loop = new Thread(this::serve, "test-dns");
        loop.setDaemon(true);
        loop.start();
    }

    TestDnsServer mx(String domain, String host) {
        mxHosts.put(domain.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT));
        return this;
    }

    TestDnsServer address(String host, String ipv4) {
        addresses.put(host.toLowerCase(Locale.ROOT), ipv4);
        return this;
    }

    /** {@code dnsservice.xml}'s text changed so that the server asks this DNS server only, at {@code address}. */
    static String asTheServersResolver(String dnsserviceXml, String address) {
        return dnsserviceXml.replace("<autodiscover>true</autodiscover>",
            "<autodiscover>false</autodiscover><servers><server>" + address + "</server></servers>");
    }

    /** A TXT record; its text is cut in character-strings of 255 (RFC 1035), as a zone file would hold it. */
    TestDnsServer txt(String name, String text) {
        return txts(name, text);
    }

    /** Several TXT records at one name, in place of any it had. */
    TestDnsServer txts(String name, String... records) {
        texts.put(name.toLowerCase(Locale.ROOT), List.of(records));
        return this;
    }

    /** Every query for {@code name} answered SERVFAIL: a DNS that cannot answer now (a temporary error). */
    TestDnsServer failing(String name) {
        failing.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Every query for {@code name} left unanswered: a DNS that times out. */
    TestDnsServer silent(String name) {
        silent.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Every query for {@code name} answered with bytes that are no DNS message (only the query's id). */
    TestDnsServer garbage(String name) {
        garbage.add(name.toLowerCase(Locale.ROOT));
        return this;
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                String name = query.getQuestion().getName().toString(true).toLowerCase(Locale.ROOT);
                if (silent.contains(name)) {
                    continue;
                }
                byte[] answer = garbage.contains(name) ? garbage(query.getHeader().getID()) : answer(query);
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private static byte[] garbage(int id) {
        byte[] junk = "\0\0\u00ff\u00ffnot a DNS message at all, but it has the query's id".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        junk[0] = (byte) (id >> 8);
        junk[1] = (byte) id;
        return junk;
    }

    private byte[] answer(Message query) throws IOException {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        response.addRecord(question, Section.QUESTION);
        String name = question.getName().toString(true).toLowerCase(Locale.ROOT);
        boolean known = mxHosts.containsKey(name) || addresses.containsKey(name) || texts.containsKey(name);
        if (failing.contains(name)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (question.getType() == Type.MX && mxHosts.containsKey(name)) {
            response.addRecord(new MXRecord(question.getName(), DClass.IN, 60, 10, Name.fromString(mxHosts.get(name) + ".")),
                Section.ANSWER);
        } else if (question.getType() == Type.A && addresses.containsKey(name)) {
            response.addRecord(new ARecord(question.getName(), DClass.IN, 60, InetAddress.getByName(addresses.get(name))),
                Section.ANSWER);
        } else if (question.getType() == Type.TXT && texts.containsKey(name)) {
            for (String text : texts.get(name)) {
                List<String> strings = new ArrayList<>();
                for (int start = 0; start < text.length(); start += 255) {
                    strings.add(text.substring(start, Math.min(text.length(), start + 255)));
                }
                response.addRecord(new TXTRecord(question.getName(), DClass.IN, 60, strings), Section.ANSWER);
            }
        } else if (!known) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return response.toWire();
    }

    @Override
    public void close() {
        socket.close();
    }
}
