package org.maildeck.matchers;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.maildeck.mailets.smtpd.RelayDecision;

/**
 * The recipients the SMTP server agreed to relay when it accepted them: the relay decision is
 * taken once, at RCPT time, by the listener's {@code RelayPolicy} (trusted network, logged-in
 * client, relay domain), which records it on the mail ({@link RelayDecision}). Mail without
 * that record (from any other source) matches nothing, so the pipeline's own check fails closed.
 */
public class RelayGranted extends GenericMatcher {

    @Override
    public Collection<MailAddress> match(Mail mail) {
        Set<String> granted = RelayDecision.grantedRecipients(mail);
        return mail.getRecipients().stream()
            .filter(recipient -> granted.contains(recipient.asString()))
            .collect(Collectors.toList());
    }
}
