package org.maildeck.milter;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One MTA connection's side of the milter conversation: option negotiation first, then per SMTP
 * session the connect information, HELO, and per message MAIL, RCPT, the headers and the body
 * chunks, with the macros sent before each step (Postfix's queue id is macro {@code i}). The
 * message is collected into a {@link ReceivedMessage}; at its end {@link EndOfMessage} decides.
 * Steps the MTA does not wait for get no reply (see {@link Negotiation}).
 *
 * <p>Anything out of order or unknown throws {@link MalformedPacketException}: the MTA is broken,
 * or not an MTA, and the connection is closed. Not thread-safe: a connection's packets are
 * handled one after the other.</p>
 */
final class MilterSession implements AutoCloseable {

    private static final String UNKNOWN_CLIENT = "unknown[unknown]";
    /** Postfix sends a dozen macros; a peer sending thousands of names is not an MTA. */
    static final int MAX_MACROS = 200;
    /** Postfix's smtpd_recipient_limit default: more would grow the session without bound. */
    static final int MAX_RECIPIENTS = 1000;

    private final EndOfMessage decider;
    private final long maxMessageSize;
    private final Map<String, String> macros = new HashMap<>();
    private Negotiation negotiation;
    private String client = UNKNOWN_CLIENT;
    private Optional<String> helo = Optional.empty();
    private ReceivedMessage message;
    private boolean quit;

    MilterSession(EndOfMessage decider, long maxMessageSize) {
        this.decider = decider;
        this.maxMessageSize = maxMessageSize;
    }

    /** The replies to {@code packet}, in order; none when the MTA does not wait for one. */
    List<MilterPacket> handle(MilterPacket packet) throws MalformedPacketException, IOException {
        byte command = packet.command();
        PacketData data = new PacketData(packet.data());
        if (negotiation == null && command != MilterPacket.OPTNEG) {
            throw new MalformedPacketException("command '" + printable(command) + "' before option negotiation");
        }
        switch (command) {
            case MilterPacket.OPTNEG -> {
                negotiation = Negotiation.with(data.int32(), data.int32(), data.int32());
                return List.of(negotiation.reply());
            }
            case MilterPacket.MACRO -> {
                data.oneByte();
                while (data.hasMore()) {
                    String name = data.string();
                    macros.put(name.replaceAll("^\\{|}$", ""), data.string());
                }
                if (macros.size() > MAX_MACROS) {
                    throw new MalformedPacketException("more than " + MAX_MACROS + " macros");
                }
                return List.of();
            }
            case MilterPacket.CONNECT -> {
                connect(data);
                return reply(command);
            }
            case MilterPacket.HELO -> {
                helo = Optional.of(data.string());
                return reply(command);
            }
            case MilterPacket.MAIL -> {
                closeMessage();
                message = new ReceivedMessage(macros, client, helo, address(data.string()), maxMessageSize);
                return reply(command);
            }
            case MilterPacket.RCPT -> {
                ReceivedMessage received = current();
                if (received.recipients().size() >= MAX_RECIPIENTS) {
                    throw new MalformedPacketException("more than " + MAX_RECIPIENTS + " recipients");
                }
                received.addRecipient(address(data.string()));
                return reply(command);
            }
            case MilterPacket.DATA, MilterPacket.UNKNOWN -> {
                return reply(command);
            }
            case MilterPacket.HEADER -> {
                String name = data.string();
                current().addHeader(name, data.hasMore() ? data.string() : "");
                return reply(command);
            }
            case MilterPacket.END_OF_HEADERS -> {
                current().endHeaders();
                return reply(command);
            }
            case MilterPacket.BODY -> {
                ReceivedMessage received = current();
                received.addBody(packet.data());
                if (received.tooLarge()) {
                    return finish(decider.tooLarge(received));
                }
                return List.of(Replies.CONTINUE);
            }
            case MilterPacket.END_OF_BODY -> {
                ReceivedMessage received = current();
                if (packet.length() > 0) {
                    received.addBody(packet.data());
                }
                return finish(received.tooLarge() ? decider.tooLarge(received) : decider.decide(received));
            }
            case MilterPacket.ABORT -> {
                closeMessage();
                return List.of();
            }
            case MilterPacket.QUIT_NEW_CONNECTION -> {
                closeMessage();
                macros.clear();
                client = UNKNOWN_CLIENT;
                helo = Optional.empty();
                return List.of();
            }
            case MilterPacket.QUIT -> {
                closeMessage();
                quit = true;
                return List.of();
            }
            default -> throw new MalformedPacketException("unknown command '" + printable(command) + "'");
        }
    }

    /** Whether the MTA said goodbye: the connection is to be closed. */
    boolean quit() {
        return quit;
    }

    @Override
    public void close() {
        closeMessage();
    }

    private void connect(PacketData data) throws MalformedPacketException {
        String host = data.string();
        byte family = data.oneByte();
        String address = "unknown";
        if (family != 'U') {
            data.unsignedShort();
            address = data.string();
        }
        client = host + "[" + address + "]";
    }

    private List<MilterPacket> reply(byte command) {
        return negotiation.expectsReply(command) ? List.of(Replies.CONTINUE) : List.of();
    }

    private List<MilterPacket> finish(Verdict verdict) {
        closeMessage();
        return verdict.packets();
    }

    private ReceivedMessage current() throws MalformedPacketException {
        if (message == null) {
            throw new MalformedPacketException("message content before MAIL");
        }
        return message;
    }

    private void closeMessage() {
        if (message != null) {
            message.close();
            message = null;
        }
    }

    /** {@code <a@b>} as the MTA sends MAIL's and RCPT's first argument, without the brackets. */
    private static String address(String argument) {
        String trimmed = argument.trim();
        if (trimmed.startsWith("<") && trimmed.endsWith(">")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static String printable(byte command) {
        return command >= 0x20 && command < 0x7f ? String.valueOf((char) command) : String.format("\\x%02x", command & 0xff);
    }
}
