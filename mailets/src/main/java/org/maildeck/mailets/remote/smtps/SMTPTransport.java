package org.maildeck.mailets.remote.smtps;

import javax.mail.Session;
import javax.mail.URLName;

import org.maildeck.mailets.remote.MailLogSmtpTransport;

/**
 * The {@code smtps} transport (implicit TLS) of RemoteDelivery ({@code mail.smtps.class}), named
 * as {@link org.maildeck.mailets.remote.smtp.SMTPTransport} is, for the same reason.
 */
public class SMTPTransport extends MailLogSmtpTransport {

    public SMTPTransport(Session session, URLName url) {
        super(session, url, "smtps", true);
    }
}
