package org.maildeck.mailets.auth;

/**
 * The protocols whose logins {@link LoginThrottle} counts, as the mail log ({@code proto=}) and
 * JMX name them (CONSOLE: the web console's admin logins).
 */
public enum LoginProtocol {
    SMTP,
    IMAP,
    POP3,
    MANAGESIEVE,
    CONSOLE
}
