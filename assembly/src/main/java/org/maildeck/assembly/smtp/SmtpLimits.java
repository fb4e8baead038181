package org.maildeck.assembly.smtp;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.util.Size;

/**
 * A listener's line and recipient limits, from its {@code <smtpserver>} element in smtpserver.xml
 * or its {@code <lmtpserver>} element in lmtpserver.xml (same names, same defaults).
 *
 * @param commandLine most bytes of a command line, CRLF included ({@code <commandLineLimit>};
 *                    postfix {@code line_length_limit}, 2048; RFC 5321 asks for at least 512)
 * @param dataLine    most bytes of one line of a message ({@code <dataLineLimit>}, 1M by default;
 *                    RFC 5322 says 1000, real mail has longer ones)
 * @param recipients  most recipients of one transaction ({@code <recipientLimit>}; postfix
 *                    {@code smtpd_recipient_limit}, 1000; 0 for none)
 */
record SmtpLimits(int commandLine, int dataLine, int recipients) {

    static final int RFC_5321_COMMAND_LINE = 512;
    static final int RFC_5322_TEXT_LINE = 1000;

    static SmtpLimits read(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        int commandLine = configuration.getInt("commandLineLimit", 2048);
        long dataLine = Size.parse(configuration.getString("dataLineLimit", "1M")).asBytes();
        int recipients = configuration.getInt("recipientLimit", 1000);
        if (commandLine < RFC_5321_COMMAND_LINE) {
            throw new ConfigurationException("commandLineLimit " + commandLine + " is below RFC 5321's " + RFC_5321_COMMAND_LINE);
        }
        if (dataLine < RFC_5322_TEXT_LINE || dataLine > Integer.MAX_VALUE) {
            throw new ConfigurationException("dataLineLimit " + dataLine + " must be between RFC 5322's " + RFC_5322_TEXT_LINE
                + " and " + Integer.MAX_VALUE + " bytes");
        }
        if (recipients < 0) {
            throw new ConfigurationException("recipientLimit " + recipients + " is negative (0: no limit)");
        }
        return new SmtpLimits(commandLine, (int) dataLine, recipients);
    }
}
