package org.maildeck.mailets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Sends mail for {@code postmaster@} a local domain that has no user or alias of that name to
 * the address {@link PostmasterAddress} finds (mailetcontainer.xml's {@code <postmaster>} first),
 * in place of James's {@code PostmasterAlias}, which sends it to {@code <postmaster>} even when
 * that address cannot receive mail. Put first in the root processor. A local address replaces
 * the recipient in the mail; an address of another server gets a copy of its own, sent on as
 * the server's own mail (relayed like an alias's forward). With no address at all, those
 * recipients go to {@code undeliverableProcessor} (default {@code error}, the error repository,
 * where the admin finds them) with a mail-log line:
 * {@code <queue id>: to=<postmaster@example.org>, relay=none, status=undeliverable (no address for the postmaster: ...)}.
 */
public class Postmaster extends GenericMailet {

    private final PostmasterAddress postmaster;
    private final DeliveryOutcomes outcomes;
    private String undeliverableProcessor;

    @Inject
    public Postmaster(PostmasterAddress postmaster, DeliveryOutcomes outcomes) {
        this.outcomes = outcomes;
        this.postmaster = postmaster;
    }

    @Override
    public void init() {
        undeliverableProcessor = getInitParameter("undeliverableProcessor", "error");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        List<MailAddress> forPostmaster = new ArrayList<>();
        Set<MailAddress> others = new LinkedHashSet<>();
        Optional<MailAddress> target;
        try {
            for (MailAddress recipient : mail.getRecipients()) {
                (postmaster.isPostmaster(recipient) && !postmaster.isKnown(recipient) ? forPostmaster : others).add(recipient);
            }
            if (forPostmaster.isEmpty()) {
                return;
            }
            target = postmaster.target(getMailetContext().getPostmaster());
        } catch (DomainListException | UsersRepositoryException | RecipientRewriteTableException e) {
            // the spooler tries the mail again later
            throw new MessagingException("cannot look up the postmaster's address: " + e.getMessage(), e);
        }
        if (target.isEmpty()) {
            forPostmaster.forEach(recipient -> outcomes.undeliverable(Hop.none(mail), recipient, "no address for the postmaster: "
                + "set <postmaster> in mailetcontainer.xml or add an alias", "kept in processor " + undeliverableProcessor));
            sendCopy(mail, forPostmaster, undeliverableProcessor);
            keepOnly(mail, others);
        } else if (getMailetContext().isLocalServer(target.get().getDomain())) {
            others.add(target.get());
            mail.setRecipients(others);
        } else {
            MailLog.LOGGER.info("{}: postmaster mail for {} goes to <{}>", mail.getName(), forPostmaster, target.get().asString());
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(List.of(target.get()));
                // from the mailet context: the server's own mail, relayed as an alias's forward is
                getMailetContext().sendMail(copy, Mail.DEFAULT);
            } finally {
                LifecycleUtil.dispose(copy);
            }
            keepOnly(mail, others);
        }
    }

    private void sendCopy(Mail mail, List<MailAddress> recipients, String processor) throws MessagingException {
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(recipients);
            getMailetContext().sendMail(copy, processor);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    private static void keepOnly(Mail mail, Set<MailAddress> recipients) {
        mail.setRecipients(recipients);
        if (recipients.isEmpty()) {
            mail.setState(Mail.GHOST);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck postmaster";
    }
}
