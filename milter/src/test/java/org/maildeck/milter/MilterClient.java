package org.maildeck.milter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MTA's side of the milter protocol over a real socket, as Postfix 3 speaks it (version 6,
 * every action and step offered, macro {@code i} with the queue id at MAIL and at the end of the
 * body), for the tests. {@link #send} writes any packet, well formed or not; {@link #message}
 * runs a whole message and returns the filter's end-of-message replies.
 */
public final class MilterClient implements AutoCloseable {

    /** What Postfix offers: every action of version 6 and every protocol flag. */
    public static final int ALL_ACTIONS = 0x1ff;
    public static final int ALL_STEPS = 0x1fffff;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int protocol;

    private MilterClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    public static MilterClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(90_000);
        return new MilterClient(socket);
    }

    /** Option negotiation; returns the filter's answer (version, actions, protocol). */
    public int[] negotiate() throws IOException {
        send(MilterPacket.OPTNEG, ints(6, ALL_ACTIONS, ALL_STEPS));
        MilterPacket reply = read();
        if (reply.command() != MilterPacket.REPLY_OPTNEG) {
            throw new IOException("no option negotiation but " + reply);
        }
        DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(reply.data()));
        int[] answer = {data.readInt(), data.readInt(), data.readInt()};
        protocol = answer[2];
        return answer;
    }

    /**
     * A whole SMTP session's message: connect, HELO, MAIL, RCPT, headers, body in chunks of at
     * most 65535 bytes, end of body. {@code rfc822} is the message with CRLF line ends. Returns
     * the replies to the end of the body (or to the body chunk the filter answered finally).
     */
    public List<MilterPacket> message(String queueId, String sender, List<String> recipients, byte[] rfc822) throws IOException {
        step(MilterPacket.CONNECT, concat(strings("client.example"), new byte[] {'4', 0x30, 0x39}, strings("192.0.2.7")), 0x1000);
        step(MilterPacket.HELO, strings("client.example"), 0x2000);
        macros(MilterPacket.MAIL, Map.of("i", queueId, "{mail_addr}", sender));
        step(MilterPacket.MAIL, strings("<" + sender + ">"), 0x4000);
        for (String recipient : recipients) {
            step(MilterPacket.RCPT, strings("<" + recipient + ">"), 0x8000);
        }
        int split = headerEnd(rfc822);
        String headerText = new String(rfc822, 0, split, StandardCharsets.ISO_8859_1);
        for (String field : headerText.split("\r\n(?![ \t])")) {
            if (field.isEmpty()) {
                continue;
            }
            int colon = field.indexOf(':');
            step(MilterPacket.HEADER, strings(field.substring(0, colon), field.substring(colon + 1).stripLeading()), 0x80);
        }
        step(MilterPacket.END_OF_HEADERS, new byte[0], 0x40000);
        int bodyStart = Math.min(rfc822.length, split + 2);
        for (int offset = bodyStart; offset < rfc822.length; offset += 65535) {
            byte[] chunk = java.util.Arrays.copyOfRange(rfc822, offset, Math.min(rfc822.length, offset + 65535));
            send(MilterPacket.BODY, chunk);
            MilterPacket reply = read();
            if (reply.command() != MilterPacket.CONTINUE) {
                return List.of(reply);
            }
        }
        macros(MilterPacket.END_OF_BODY, Map.of("i", queueId));
        send(MilterPacket.END_OF_BODY, new byte[0]);
        return untilFinal();
    }

    /** Replies until the final one (continue, accept, reject, tempfail, discard, reply code). */
    public List<MilterPacket> untilFinal() throws IOException {
        List<MilterPacket> replies = new ArrayList<>();
        while (true) {
            MilterPacket reply = read();
            replies.add(reply);
            if (reply.command() != MilterPacket.ADD_HEADER && reply.command() != MilterPacket.CHANGE_HEADER) {
                return replies;
            }
        }
    }

    public void quit() throws IOException {
        send(MilterPacket.QUIT, new byte[0]);
    }

    public void send(byte command, byte[] data) throws IOException {
        out.writeInt(data.length + 1);
        out.writeByte(command);
        out.write(data);
        out.flush();
    }

    /** Any bytes, for broken packets. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public MilterPacket read() throws IOException {
        int length = in.readInt();
        if (length < 1 || length > 1 << 20) {
            throw new IOException("reply length " + length);
        }
        byte command = in.readByte();
        byte[] data = new byte[length - 1];
        in.readFully(data);
        return new MilterPacket(command, data);
    }

    /** Whether the filter closed the connection within {@code wait} (reading and dropping anything it still sends). */
    public boolean closedByFilter(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // reset by the filter
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The reply as text: {@code 'y' 554 5.7.0 ...}, {@code 'h' X-Virus-Scanned: ...}, {@code 'm' 1 Subject: ...}. */
    public static String describe(MilterPacket packet) {
        byte[] data = packet.data();
        String text;
        if (packet.command() == MilterPacket.CHANGE_HEADER) {
            int index = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
            text = index + " " + fields(java.util.Arrays.copyOfRange(data, 4, data.length));
        } else {
            text = fields(data);
        }
        return "'" + (char) packet.command() + "'" + (text.isEmpty() ? "" : " " + text);
    }

    private static String fields(byte[] data) {
        String[] parts = new String(data, StandardCharsets.ISO_8859_1).split("\0", -1);
        if (parts.length >= 3) {
            return parts[0] + ": " + parts[1];
        }
        return parts[0];
    }

    private void step(byte command, byte[] data, int noReplyFlag) throws IOException {
        send(command, data);
        if ((protocol & noReplyFlag) == 0) {
            MilterPacket reply = read();
            if (reply.command() != MilterPacket.CONTINUE) {
                throw new IOException("'" + (char) command + "' answered " + describe(reply));
            }
        }
    }

    private void macros(byte stage, Map<String, String> values) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(stage);
        values.forEach((name, value) -> data.writeBytes(strings(name, value)));
        send(MilterPacket.MACRO, data.toByteArray());
    }

    private static int headerEnd(byte[] message) {
        for (int i = 0; i + 3 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] == '\r' && message[i + 3] == '\n') {
                return i + 2;
            }
        }
        return message.length;
    }

    public static byte[] strings(String... values) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (String value : values) {
            data.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
            data.write(0);
        }
        return data.toByteArray();
    }

    public static byte[] ints(int... values) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int value : values) {
            data.write(value >>> 24);
            data.write(value >>> 16);
            data.write(value >>> 8);
            data.write(value);
        }
        return data.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            data.writeBytes(part);
        }
        return data.toByteArray();
    }
}
