package org.maildeck.milter;

import java.util.List;
import java.util.stream.Stream;

/**
 * What the filter answers at the end of a message: the header changes, sent first, then the
 * final reply (continue, an SMTP reply code, or discard).
 */
public record Verdict(List<MilterPacket> modifications, MilterPacket reply) {

    public Verdict {
        modifications = List.copyOf(modifications);
    }

    /** Postfix takes the message, with these header changes. */
    public static Verdict accept(List<MilterPacket> headerChanges) {
        return new Verdict(headerChanges, Replies.CONTINUE);
    }

    /** Postfix gives its client this reply ({@code 554 5.7.0 ...}, {@code 451 4.7.1 ...}) and keeps nothing. */
    public static Verdict refuse(String smtpReply) {
        return new Verdict(List.of(), Replies.replyCode(smtpReply));
    }

    /** Postfix tells its client the message was taken, and drops it. */
    public static Verdict discard() {
        return new Verdict(List.of(), Replies.DISCARD);
    }

    /** Header changes for {@link #accept}: add {@code name: value} at the end of the headers. */
    public static MilterPacket addHeader(String name, String value) {
        return Replies.addHeader(name, value);
    }

    /** Header changes for {@link #accept}: replace the {@code index}th {@code name} header; an empty value removes it. */
    public static MilterPacket changeHeader(int index, String name, String value) {
        return Replies.changeHeader(index, name, value);
    }

    List<MilterPacket> packets() {
        return Stream.concat(modifications.stream(), Stream.of(reply)).toList();
    }
}
