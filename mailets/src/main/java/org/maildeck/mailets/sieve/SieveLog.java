package org.maildeck.mailets.sieve;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.maildeck.mailets.MailLog;

/**
 * The mail-log lines of Sieve at delivery, one per thing a script did that the delivery line
 * would not show (a mail filed elsewhere shows in its {@code folder=}):
 * {@code <queue id>: to=<rcpt>, relay=sieve, <what>}.
 */
final class SieveLog {

    private SieveLog() {
    }

    static void failed(Mail mail, MailAddress recipient, String reason) {
        SieveCounters.scriptFailed();
        MailLog.LOGGER.warn("{}: to=<{}>, relay=sieve, script failed ({}), kept in INBOX", mail.getName(), recipient.asString(),
            oneLine(reason));
    }

    static void did(Mail mail, MailAddress recipient, String what) {
        MailLog.LOGGER.info("{}: to=<{}>, relay=sieve, {}", mail.getName(), recipient.asString(), oneLine(what));
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s+", " ").trim();
    }
}
