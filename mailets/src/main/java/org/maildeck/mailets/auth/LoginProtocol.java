package org.maildeck.mailets.auth;

/**
 * The protocols whose logins {@link LoginThrottle} counts, as the mail log ({@code proto=}) and
 * JMX name them. ManageSieve and the web console join by adding their name here.
 */
public enum LoginProtocol {
    SMTP,
    IMAP,
    POP3
}
