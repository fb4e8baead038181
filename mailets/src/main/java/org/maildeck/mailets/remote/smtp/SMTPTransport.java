package org.maildeck.mailets.remote.smtp;

import javax.mail.Session;
import javax.mail.URLName;

import org.maildeck.mailets.remote.MailLogSmtpTransport;

/**
 * The {@code smtp} transport of RemoteDelivery ({@code mail.smtp.class}): JavaMail's, with its
 * mail-log lines. Named {@code SMTPTransport} because RemoteDelivery (James 3.8.1,
 * {@code MailDelivrerToHost.shouldAdapt}) trusts a transport with 8-bit mail only when its class
 * name ends in {@code .SMTPTransport}: under any other name it re-encodes every 8-bit part to
 * quoted-printable or base64 even for a server that announces 8BITMIME, and parses every
 * multipart to look for them, which fails on one whose boundary is never used. Under this name,
 * it converts only for a server without 8BITMIME, as Postfix does.
 */
public class SMTPTransport extends MailLogSmtpTransport {

    public SMTPTransport(Session session, URLName url) {
        super(session, url, "smtp", false);
    }
}
