package org.maildeck.mailets.smtpd;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

/**
 * On the filter port, names the mail after Postfix's queue id, taken from the newest
 * {@code Received:} header Postfix wrote ({@code by mx.example.com (Postfix) with ESMTP id
 * 4F3A2B1C0D}), so that every mail-log line of the filter (scan, sent, discarded, quarantined)
 * can be found with the id of Postfix's own log, as amavisd-new logs {@code Queue-ID:}. Mail
 * without such a header keeps the name the session gave it. First in the listener's chain, so
 * the scan's line already carries it.
 */
public class PostfixQueueId implements JamesMessageHook {

    private static final Pattern POSTFIX_ID = Pattern.compile("\\(Postfix\\)\\s+with\\s+\\S+\\s+id\\s+([0-9A-Za-z]{6,})");

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        try {
            String[] received = mail.getMessage().getHeader("Received");
            if (received != null) {
                for (String header : received) {
                    Optional<String> id = of(header);
                    if (id.isPresent()) {
                        mail.setName(id.get());
                        break;
                    }
                }
            }
        } catch (MessagingException e) {
            // unreadable headers: the mail keeps its own name, the scan decides about it
        }
        return HookResult.DECLINED;
    }

    /** The queue id in one Received field written by Postfix, if it is one. */
    static Optional<String> of(String received) {
        Matcher matcher = POSTFIX_ID.matcher(received.replaceAll("\\s+", " "));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
