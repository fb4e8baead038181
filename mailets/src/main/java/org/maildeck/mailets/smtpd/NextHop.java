package org.maildeck.mailets.smtpd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.URLName;
import javax.mail.internet.InternetAddress;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.maildeck.mailets.DeliveryFailure;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.Hop;
import org.maildeck.mailets.RecipientFailures;
import org.maildeck.mailets.remote.OutgoingDelivery;
import org.maildeck.mailets.remote.smtp.SMTPTransport;

/**
 * Where the filter port sends the mail it passes (amavisd-new's {@code $forward_method},
 * {@code smtp:[127.0.0.1]:10025}: Postfix's reinjection smtpd), in the same SMTP session that
 * delivers it to us, so that the client hears the next hop's verdict: nothing is ever accepted
 * here that the next hop did not take.
 *
 * <p>The mail goes out through the SMTP client RemoteDelivery uses (JavaMail's, with Maildeck's
 * mail-log lines, {@code status=sent|deferred|bounced} per recipient), without partial sending:
 * if the next hop refuses any recipient, the message is not sent to any (RSET), so the answer
 * to the client is true for all of them. The answer mirrors the next hop's, as amavisd-new
 * words it: {@code 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4F3A2},
 * a 5xx when it refused every recipient for good (the client bounces), and a 4xx otherwise: a
 * temporary refusal, a connection that failed or broke, or recipients refused and accepted in
 * one transaction (the client keeps the mail; with Postfix's
 * {@code smtp-amavis_destination_recipient_limit = 1} and the listener's
 * {@code recipientLimit} of 1 that cannot happen).
 */
public final class NextHop {

    /**
     * On a message the filter port quarantined: the next hop it was going to, where a release
     * sends it ({@link NextHops}).
     */
    public static final String HEADER = "X-Maildeck-Next-Hop";

    /** What the filter port answers the client at the end of DATA. */
    public record Answer(String code, String text) {
        public boolean accepted() {
            return code.startsWith("2");
        }
    }

    private static final Pattern REPLY_CODE = Pattern.compile("[245]\\d\\d");

    private final String host;
    private final int port;
    private final Duration timeout;

    private NextHop(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** {@code host:port} ({@code [v6]:port} for IPv6). */
    static NextHop parse(String address, Duration timeout) {
        String value = address.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("next hop must be host:port, not '" + address + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new NextHop(host, Integer.parseInt(value.substring(colon + 1)), timeout);
    }

    /** {@code host:port}, as in the configuration and {@link #HEADER}. */
    String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** As amavisd-new names its forwarding method in its replies: {@code smtp:[127.0.0.1]:10025}. */
    String name() {
        return "smtp:[" + host + "]:" + port;
    }

    /** Sends the mail, as it is now, to the next hop and returns what to answer the client. */
    public Answer forward(Mail mail, String heloName, DeliveryOutcomes outcomes) {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.from", mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("<>"));
        properties.setProperty("mail.smtp.localhost", heloName);
        properties.setProperty("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        properties.setProperty("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        properties.setProperty("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        properties.setProperty("mail.smtp.sendpartial", "false");
        Session session = Session.getInstance(properties);
        List<MailAddress> recipients = List.copyOf(mail.getRecipients());
        OutgoingDelivery.begin(mail, outcomes);
        boolean connected = false;
        try (SMTPTransport transport = new SMTPTransport(session, new URLName("smtp", host, port, null, null, null))) {
            transport.connect();
            connected = true;
            transport.sendMessage(mail.getMessage(), addresses(recipients));
            return new Answer("250", "2.0.0 from MTA(" + name() + "): " + oneLine(transport.getLastServerResponse()));
        } catch (SendFailedException refused) {
            return refusal(mail, recipients);
        } catch (MessagingException | RuntimeException e) {
            String reason = innermost(e);
            if (!connected) {
                // the transport logged "connect to ..."; each recipient's status is ours to write
                Hop nowhere = Hop.remote(mail.getName(), "none", Instant.now());
                recipients.forEach(recipient -> outcomes.deferred(nowhere, recipient.asString(), "connect to " + host + ":" + port + ": " + reason,
                    Optional.of("the client keeps the mail")));
            }
            return new Answer("451", "4.4.1 from MTA(" + name() + "): " + (connected ? "lost connection: " : "cannot connect: ") + reason);
        } finally {
            OutgoingDelivery.end();
        }
    }

    /**
     * The next hop refused one or more recipients (the message was then sent to none) or the
     * message itself: 5xx only if every recipient was refused for good, else 4xx.
     */
    private Answer refusal(Mail mail, List<MailAddress> recipients) {
        List<Optional<DeliveryFailure>> failures = recipients.stream().map(recipient -> RecipientFailures.of(mail, recipient)).toList();
        Optional<DeliveryFailure> first = failures.stream().flatMap(Optional::stream).findFirst();
        boolean permanent = failures.stream().allMatch(failure -> failure.filter(f -> f.status().startsWith("5")).isPresent());
        String text = first.flatMap(DeliveryFailure::text).orElse("refused");
        String code = text.length() >= 3 && REPLY_CODE.matcher(text.substring(0, 3)).matches() ? text.substring(0, 3) : permanent ? "554" : "451";
        if (permanent != code.startsWith("5")) {
            code = permanent ? "554" : "451";
        }
        String status = first.map(DeliveryFailure::status).filter(s -> s.startsWith(permanent ? "5" : "4")).orElse(permanent ? "5.0.0" : "4.0.0");
        return new Answer(code, status + " from MTA(" + name() + "): " + text);
    }

    private static Address[] addresses(List<MailAddress> recipients) throws MessagingException {
        Address[] addresses = new Address[recipients.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new InternetAddress(recipients.get(i).asString(), false);
        }
        return addresses;
    }

    private static String innermost(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return oneLine(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
