package org.maildeck.mailets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.maildeck.contentfilter.ScanReport;
import org.maildeck.contentfilter.ScannerVerdict;
import org.maildeck.mailets.StatusCounts.Status;
import org.slf4j.event.Level;

/**
 * What became of a mail, or of one of its recipients, recorded in one place, as Postfix's
 * {@code sent()}, {@code defer_append()} and {@code bounce_append()} do for every delivery agent:
 * each call writes the mail-log line and bumps the counter the monitoring reads for it, so a line
 * and its count cannot disagree and no delivery path formats a status line of its own.
 *
 * <p>A recipient's line is {@code <queue id>: to=<rcpt>, <hop>[, delay=1.25][, <details>],
 * status=<status>[ (<reason>)][, <note>]}, the {@link Hop} saying where the attempt ended. The
 * counters of local delivery ({@link MaildirDeliveryCounters}) count the lines of the
 * {@code relay=maildir} hop, each before its line is written, so that whoever reads a line finds
 * it counted; the content filter's ({@link ContentFilterCounters}) count the scans, and the
 * mail it kept from its recipients.</p>
 *
 * <p>The lines are those the ITs (MailLogIT, OutboundDeliveryIT, LocalDeferralIT, ...) and admins'
 * scripts read: change their text only together with them.</p>
 */
@Singleton
public class DeliveryOutcomes {

    /** Where the lines go: the mail log, or a test's list. */
    interface Sink {
        void write(Level level, String line);
    }

    private final MaildirDeliveryCounters localDeliveries;
    private final ContentFilterCounters contentFilter;
    private final StatusCounts statuses;
    private final Sink sink;
    private final Clock clock;

    @Inject
    public DeliveryOutcomes(MaildirDeliveryCounters localDeliveries, ContentFilterCounters contentFilter, StatusCounts statuses) {
        this(localDeliveries, contentFilter, statuses, DeliveryOutcomes::toMailLog, Clock.systemUTC());
    }

    DeliveryOutcomes(MaildirDeliveryCounters localDeliveries, ContentFilterCounters contentFilter, StatusCounts statuses, Sink sink, Clock clock) {
        this.localDeliveries = localDeliveries;
        this.contentFilter = contentFilter;
        this.statuses = statuses;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * {@code status=delivered}: a copy is in the recipient's folder, {@code storedBytes} as the
     * mailbox holds it (with the recipient's own headers); {@code details} such as {@code uid=12, size=2048}.
     */
    public void delivered(Hop hop, MailAddress recipient, String details, long storedBytes) {
        if (hop.kind() == Hop.Kind.MAILDIR) {
            localDeliveries.recordDelivered(storedBytes);
        }
        recipientLine(Level.INFO, hop, recipient.asString(), Optional.of(details), Status.DELIVERED, Optional.empty(), Optional.empty());
    }

    /**
     * {@code status=delivered (stored before the restart)}: the spool handed the mail out again
     * after a crash and the copy was already there; not counted again.
     */
    public void deliveredBeforeRestart(Hop hop, MailAddress recipient, String details) {
        sink.write(Level.INFO, recipientText(hop, recipient.asString(), Optional.of(details), Status.DELIVERED,
            Optional.of("stored before the restart"), Optional.empty()));
    }

    /** {@code status=sent (<the server's reply>)}: a remote server took the mail for the recipient. */
    public void sent(Hop hop, String recipient, String reply) {
        recipientLine(Level.INFO, hop, recipient, Optional.empty(), Status.SENT, Optional.of(reply), Optional.empty());
    }

    /** {@code status=deferred (<reason>)}: tried again later; {@code note} says where the mail goes meanwhile. */
    public void deferred(Hop hop, String recipient, String reason, Optional<String> note) {
        if (hop.kind() == Hop.Kind.MAILDIR) {
            localDeliveries.recordDeferred();
        }
        recipientLine(Level.INFO, hop, recipient, Optional.empty(), Status.DEFERRED, Optional.of(reason), note);
    }

    /** {@code status=bounced (<reason>)}: given up for the recipient, the sender to be told (a full mailbox, a 5xx reply). */
    public void bounced(Hop hop, String recipient, String reason) {
        if (hop.kind() == Hop.Kind.MAILDIR) {
            localDeliveries.recordBouncedOverQuota();
        }
        recipientLine(Level.INFO, hop, recipient, Optional.empty(), Status.BOUNCED, Optional.of(reason), Optional.empty());
    }

    /**
     * The content filter kept the mail from all its recipients ({@code bounced} when the sender is
     * told, else {@code discarded}), one line per recipient naming what it found and, when the
     * mail was quarantined, the quarantine id: {@code status=discarded (virus: Eicar), quarantine=virus-...}.
     */
    public void keptByContentFilter(Mail mail, boolean senderTold, Category category, String finding, Optional<String> quarantineId) {
        if (category == Category.SPAM) {
            contentFilter.recordSpamKilled();
        }
        Hop hop = Hop.contentFilter(mail);
        Optional<String> note = quarantineId.map(id -> "quarantine=" + id);
        for (MailAddress recipient : mail.getRecipients()) {
            recipientLine(Level.INFO, hop, recipient.asString(), Optional.empty(), senderTold ? Status.BOUNCED : Status.DISCARDED,
                Optional.of(category.label() + ": " + finding), note);
        }
    }

    /** {@code status=undeliverable (<reason>)}, a warning: no way to the recipient, the mail kept where {@code note} says. */
    public void undeliverable(Hop hop, MailAddress recipient, String reason, String note) {
        recipientLine(Level.WARN, hop, recipient.asString(), Optional.empty(), Status.UNDELIVERABLE, Optional.of(reason), Optional.of(note));
    }

    /**
     * Postfix's {@code status=expired}: the retries are used up and the mail returned to its
     * sender, or dropped for a null sender: {@code <id>: from=<sender>, status=expired, returned to sender}.
     */
    public void expired(Mail mail) {
        statuses.record(Status.EXPIRED);
        sink.write(Level.INFO, mail.getName() + ": from=<" + mail.getMaybeSender().asString("") + ">, status=expired, "
            + (mail.getMaybeSender().isNullSender() ? "not returned (null sender)" : "returned to sender"));
    }

    /** The whole mail goes back to the spool for attempt {@code attempt}: {@code <id>: deferred (<reason>), retry in 2m, attempt 3}. */
    public void deferred(Mail mail, String reason, String retryIn, int attempt) {
        sink.write(Level.INFO, mail.getName() + ": deferred (" + reason + "), retry in " + retryIn + ", attempt " + attempt);
    }

    /** A warning: the mail was deferred {@code attempts} times and goes to {@code processor}, kept for the admin. */
    public void retriesExhausted(Mail mail, String reason, int attempts, String processor) {
        sink.write(Level.WARN, mail.getName() + ": deferred (" + reason + ") " + attempts + " times, giving up: to processor " + processor);
    }

    /**
     * The spool holds the mail: the line that gives it its queue id, like Postfix's qmgr line,
     * {@code <id>: from=<sender>, size=912, nrcpt=2, client=..., sasl_username=..., message-id=<...>}.
     */
    public void queued(Mail mail, long size, String client, Optional<String> saslUsername, Optional<String> messageId) {
        sink.write(Level.INFO, mail.getName() + ": from=<" + mail.getMaybeSender().asString("") + ">, size=" + size
            + ", nrcpt=" + mail.getRecipients().size() + ", client=" + client
            + saslUsername.map(user -> ", sasl_username=" + user).orElse("")
            + messageId.map(id -> ", message-id=" + id).orElse(""));
    }

    /**
     * The content filter looked at the mail: counted per message and per scanner, and
     * {@code <id>: scan: clamav=clean, banned=clean, spamd=score 1.2 (...), time=0.123}.
     */
    public void scanned(Mail mail, ScanReport report) {
        contentFilter.record(report);
        sink.write(Level.INFO, mail.getName() + ": scan: " + verdicts(report.verdicts()) + ", time="
            + fixedPoint(Math.round(report.elapsed().toNanos() / 1e6), 3));
    }

    /** A warning: the mail goes on without a spam score ({@code onSpamdFailure=pass}), counted, the count since start in the line. */
    public void passedUncheckedForSpam(Mail mail, String why) {
        long since = contentFilter.recordSpamUnchecked();
        sink.write(Level.WARN, mail.getName() + ": warning: not checked for spam (" + why + "): onSpamdFailure=pass, unchecked since start: "
            + since);
    }

    /**
     * The listener refused the mail at the end of DATA for what the scan found: counted (spam as
     * killed); the refusal's own line is {@code SessionReject}'s {@code NOQUEUE: reject:}.
     */
    public void refusedInSession(Category category) {
        if (category == Category.SPAM) {
            contentFilter.recordSpamKilled();
        }
    }

    /**
     * The milter's decision on a mail another MTA (Postfix) is receiving, one line under that MTA's
     * queue id (the mail's name), in the words of Postfix's own {@code milter-reject:} line:
     * {@code <id>: milter-reject: END-OF-MESSAGE from host[addr]: 554 5.7.0 Virus found: Eicar; from=<s> nrcpt=1[, quarantine=virus-...]},
     * {@code milter-accept}, {@code milter-tempfail} or {@code milter-discard} likewise. A caught
     * spam kept from its recipients (refused or discarded) is counted as killed.
     */
    public void milterDecision(Mail mail, String action, String client, String reply, Optional<Category> kept,
                               Optional<String> quarantineId) {
        if (kept.filter(Category.SPAM::equals).isPresent()) {
            contentFilter.recordSpamKilled();
        }
        sink.write(Level.INFO, mail.getName() + ": milter-" + action + ": END-OF-MESSAGE from " + client + ": " + reply
            + "; from=<" + mail.getMaybeSender().asString("") + "> nrcpt=" + mail.getRecipients().size()
            + quarantineId.map(id -> ", quarantine=" + id).orElse(""));
    }

    /** A recipient's line, its status counted first (whoever reads the line finds it counted). */
    private void recipientLine(Level level, Hop hop, String recipient, Optional<String> details, Status status,
                               Optional<String> reason, Optional<String> note) {
        statuses.record(status);
        sink.write(level, recipientText(hop, recipient, details, status, reason, note));
    }

    private String recipientText(Hop hop, String recipient, Optional<String> details, Status status,
                                 Optional<String> reason, Optional<String> note) {
        StringBuilder line = new StringBuilder(hop.queueId()).append(": to=<").append(recipient).append(">, ").append(hop.fields());
        hop.arrived().ifPresent(arrived -> line.append(", delay=").append(delay(arrived)));
        details.ifPresent(text -> line.append(", ").append(text));
        line.append(", status=").append(status.label());
        reason.ifPresent(text -> line.append(" (").append(text).append(')'));
        note.ifPresent(text -> line.append(", ").append(text));
        return line.toString();
    }

    /** Seconds with two decimals, as Postfix writes {@code delay=}. */
    private String delay(Instant arrived) {
        return fixedPoint(Math.round(Duration.between(arrived, clock.instant()).toMillis() / 10.0), 2);
    }

    /**
     * {@code units} of 10^-decimals written with that many decimals ({@code 1234, 3 -> "1.234"}):
     * what {@code String.format("%.3f")} wrote, without parsing a format for every mail-log line
     * (a tenth of a millisecond per delivered mail in the ingest profile).
     */
    static String fixedPoint(long units, int decimals) {
        String digits = Long.toString(Math.abs(units));
        if (digits.length() <= decimals) {
            digits = "0".repeat(decimals + 1 - digits.length()) + digits;
        }
        int point = digits.length() - decimals;
        return (units < 0 ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
    }

    private static String verdicts(List<ScannerVerdict> verdicts) {
        return verdicts.stream().map(verdict -> verdict.scanner() + "=" + verdict(verdict)).collect(Collectors.joining(", "));
    }

    private static String verdict(ScannerVerdict verdict) {
        if (verdict instanceof ScannerVerdict.Infected infected) {
            return "infected (" + infected.virus() + ")";
        }
        if (verdict instanceof ScannerVerdict.Unchecked unchecked) {
            return "unchecked (" + unchecked.reason() + ")";
        }
        if (verdict instanceof ScannerVerdict.Failed failed) {
            return "failed (" + failed.reason() + ")";
        }
        if (verdict instanceof ScannerVerdict.Banned banned) {
            return "banned (" + banned.part() + ": " + banned.reason() + ")";
        }
        if (verdict instanceof ScannerVerdict.Scored scored) {
            return String.format(Locale.ROOT, "score %.1f (%s)", scored.score(), String.join(",", scored.symbols()));
        }
        return "clean";
    }

    private static void toMailLog(Level level, String line) {
        if (level == Level.WARN) {
            MailLog.LOGGER.warn("{}", line);
        } else {
            MailLog.LOGGER.info("{}", line);
        }
    }
}
