package org.maildeck.milter;

/**
 * The answer to the MTA's option negotiation ({@code SMFIC_OPTNEG}), protocol version 6 as
 * Postfix speaks it: the actions the filter may take (add headers, change or remove headers,
 * nothing else), the steps the MTA need not send (unknown commands, DATA) and the steps it need
 * not wait for a reply to (connect, HELO, MAIL, RCPT, each header, end of headers: the filter
 * decides only at the end of the message). Only what the MTA offered is taken.
 */
final class Negotiation {

    static final int VERSION = 6;

    /** {@code SMFIF_ADDHDRS}: X-Virus-Scanned, X-Spam-*. */
    static final int ADD_HEADERS = 0x01;
    /** {@code SMFIF_CHGHDRS}: forged copies of those headers removed, the subject tagged. */
    static final int CHANGE_HEADERS = 0x10;

    static final int NO_UNKNOWN = 0x100;
    static final int NO_DATA = 0x200;
    static final int NO_REPLY_CONNECT = 0x1000;
    static final int NO_REPLY_HELO = 0x2000;
    static final int NO_REPLY_MAIL = 0x4000;
    static final int NO_REPLY_RCPT = 0x8000;
    static final int NO_REPLY_HEADER = 0x80;
    static final int NO_REPLY_END_OF_HEADERS = 0x40000;

    private static final int ACTIONS = ADD_HEADERS | CHANGE_HEADERS;
    private static final int STEPS_SKIPPED = NO_UNKNOWN | NO_DATA;
    private static final int NO_REPLY = NO_REPLY_CONNECT | NO_REPLY_HELO | NO_REPLY_MAIL | NO_REPLY_RCPT
        | NO_REPLY_HEADER | NO_REPLY_END_OF_HEADERS;

    private final int protocol;

    private Negotiation(int protocol) {
        this.protocol = protocol;
    }

    /** The agreement with an MTA offering {@code version}, {@code actions} and {@code protocol} flags. */
    static Negotiation with(int version, int actions, int protocol) throws MalformedPacketException {
        if (version < VERSION) {
            throw new MalformedPacketException("milter protocol version " + version + " offered, 6 needed (Postfix: milter_protocol = 6)");
        }
        if ((actions & ACTIONS) != ACTIONS) {
            throw new MalformedPacketException("the MTA does not allow adding and changing headers (actions 0x"
                + Integer.toHexString(actions) + ")");
        }
        return new Negotiation(protocol & (STEPS_SKIPPED | NO_REPLY));
    }

    MilterPacket reply() {
        return Replies.optionNegotiation(VERSION, ACTIONS, protocol);
    }

    /** Whether the MTA waits for a reply to {@code command}. */
    boolean expectsReply(byte command) {
        int flag = switch (command) {
            case MilterPacket.CONNECT -> NO_REPLY_CONNECT;
            case MilterPacket.HELO -> NO_REPLY_HELO;
            case MilterPacket.MAIL -> NO_REPLY_MAIL;
            case MilterPacket.RCPT -> NO_REPLY_RCPT;
            case MilterPacket.HEADER -> NO_REPLY_HEADER;
            case MilterPacket.END_OF_HEADERS -> NO_REPLY_END_OF_HEADERS;
            default -> 0;
        };
        return (protocol & flag) == 0;
    }
}
