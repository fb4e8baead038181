package org.maildeck.mailets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail log: one line per event, in the spirit of Postfix's {@code /var/log/mail.log}, on
 * its own logger ({@code maildeck.mail}) so logback.xml can route it to a file of its own.
 */
public final class MailLog {

    public static final String NAME = "maildeck.mail";
    public static final Logger LOGGER = LoggerFactory.getLogger(NAME);

    private MailLog() {
    }
}
