package org.maildeck.mailets.smtpd;

/**
 * Implemented by a listener's configuration that sets its own {@link RecipientLimit}
 * ({@code <recipientLimit>} in smtpserver.xml); without it a listener takes Postfix's 1000.
 */
public interface RecipientLimitSetting {

    /** The most recipients of one transaction; 0 for no limit. */
    int recipientLimit();
}
