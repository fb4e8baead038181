package org.maildeck.mailets;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.apache.mailet.Mail;

/**
 * Where a recipient's delivery attempt ended, as its mail-log status line names it between
 * {@code to=<rcpt>} and {@code status=}: Postfix's {@code relay=} (with the folder for a local
 * delivery) and, for the hops that deliver, the time since the mail arrived ({@code delay=}).
 */
public final class Hop {

    enum Kind { MAILDIR, REMOTE, CONTENT_FILTER, NONE }

    private final Kind kind;
    private final String queueId;
    private final String fields;
    private final Optional<Instant> arrived;

    private Hop(Kind kind, String queueId, String fields, Optional<Instant> arrived) {
        this.kind = kind;
        this.queueId = queueId;
        this.fields = fields;
        this.arrived = arrived;
    }

    /** Local delivery into {@code folder}: {@code folder=INBOX, relay=maildir, delay=0.21}, delay since the mail's last update. */
    public static Hop maildir(Mail mail, String folder) {
        Instant arrived = Optional.ofNullable(mail.getLastUpdated()).map(Date::toInstant).orElseGet(Instant::now);
        return new Hop(Kind.MAILDIR, mail.getName(), "folder=" + folder + ", relay=maildir", Optional.of(arrived));
    }

    /** An SMTP server ({@code host[ip]:port}), or {@code none} when no server was reached, with the delay since {@code arrived}. */
    public static Hop remote(String queueId, String relay, Instant arrived) {
        return new Hop(Kind.REMOTE, queueId, "relay=" + relay, Optional.of(arrived));
    }

    /** The content filter's verdict ({@code relay=content-filter}, no delay). */
    public static Hop contentFilter(Mail mail) {
        return new Hop(Kind.CONTENT_FILTER, mail.getName(), "relay=content-filter", Optional.empty());
    }

    /** Nowhere to send the recipient to ({@code relay=none}, no delay). */
    public static Hop none(Mail mail) {
        return new Hop(Kind.NONE, mail.getName(), "relay=none", Optional.empty());
    }

    Kind kind() {
        return kind;
    }

    String queueId() {
        return queueId;
    }

    String fields() {
        return fields;
    }

    Optional<Instant> arrived() {
        return arrived;
    }
}
