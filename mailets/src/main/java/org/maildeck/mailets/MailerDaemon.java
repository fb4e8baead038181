package org.maildeck.mailets;

import java.io.UnsupportedEncodingException;
import java.net.UnknownHostException;

import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.MailetContext;

/**
 * The server as the author of its own notices, as Postfix's {@code MAILER-DAEMON}: the name it
 * gives itself in them, the address they come from ({@code MAILER-DAEMON@<server name> (Mail
 * Delivery System)}) and their envelope sender, {@code <>}, so that a notice can never bounce
 * back in a loop.
 */
final class MailerDaemon {

    private final MailetContext context;
    private final String hostName;

    MailerDaemon(MailetContext context, DNSService dns) {
        this.context = context;
        this.hostName = hostName(dns);
    }

    /** The server's name, as in the SMTP greeting (postfix {@code myhostname}): the notices' Reporting-MTA. */
    String hostName() {
        return hostName;
    }

    InternetAddress address() throws MessagingException {
        try {
            return new InternetAddress("MAILER-DAEMON@" + hostName, "Mail Delivery System", "US-ASCII");
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("US-ASCII is always supported", e);
        }
    }

    /** Queues {@code notice} for {@code recipient} from {@code <>}; its queue id. */
    String send(MimeMessage notice, MailAddress recipient) throws MessagingException {
        MailImpl mail = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(MaybeSender.nullSender())
            .addRecipient(recipient)
            .mimeMessage(notice)
            .build();
        try {
            context.sendMail(mail);
            return mail.getName();
        } finally {
            mail.dispose();
        }
    }

    /**
     * This host's name as James's DNS service gives it, the way James's DSNBounce asks; Maildeck's
     * DNS service answers with the server's name, the one the greeting has.
     */
    private static String hostName(DNSService dns) {
        try {
            return dns.getHostName(dns.getLocalHost());
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
