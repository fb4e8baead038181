package org.maildeck.mailets.smtpd;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.DeliveryOutcomes;
import org.maildeck.mailets.CaughtMail;
import org.maildeck.mailets.MailetParameters;
import org.maildeck.mailets.Destiny;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.ScanAttributes;
import org.maildeck.mailets.SpamHeaders;
import org.maildeck.mailets.SpamMark;

/**
 * The filter port's end of DATA (amavisd-new as Postfix's after-queue {@code content_filter}):
 * after {@link ScanDuringData} scanned the mail, applies the content filter's policy and either
 * keeps the mail or passes it on to the {@link NextHop} before the client hears anything, so
 * the client (Postfix) keeps every mail until it has a final answer.
 *
 * <ul>
 * <li>Caught mail (a virus, a banned attachment, not scannable, spam at the recipient's kill
 *     level) meets its category's destiny, named as in mailetcontainer.xml's Destiny mailets:
 *     {@code discard} quarantines it and answers
 *     {@code 250 2.7.0 Ok, discarded, id=<quarantine id> - virus: Eicar} (amavisd's D_DISCARD);
 *     {@code bounce} and {@code reject} quarantine it and answer the category's
 *     {@code 554 5.7.0 Virus found: Eicar, id=<quarantine id>}, so that Postfix returns it to its
 *     sender (amavisd's D_BOUNCE/D_REJECT with SMTP); {@code pass} adds the
 *     {@code X-Maildeck-Alert} header and passes it on. One mail-log line per recipient,
 *     {@code status=discarded|bounced (virus: Eicar), quarantine=virus-...}.</li>
 * <li>Other mail gets the spam headers of the recipient's levels ({@link SpamHeaders} at tag,
 *     {@link SpamMark} with its subject tag at tag2; the {@code X-Virus-Scanned} header and the
 *     removal of forged copies are the scan's) and goes to the next hop; the answer is the next
 *     hop's (see {@link NextHop}).</li>
 * </ul>
 * A quarantined message names its next hop ({@link NextHop#HEADER}), where
 * {@code maildeck quarantine release} sends it.
 *
 * <p>Parameters: {@code nextHop} ({@code host:port}, required), {@code timeout} (seconds for the
 * next hop's connection and each reply, 300), the destinies {@code virus} (discard),
 * {@code banned} (bounce), {@code unchecked} (bounce) and {@code spam} (discard), and
 * {@code subjectPrefix} ({@code ***SPAM***}) and {@code report} (false) as SpamMark's and
 * SpamHeaders'. Spam levels are the recipient's: the listener takes one recipient per
 * transaction ({@code recipientLimit} 1), else the first recipient's apply to all.
 */
public class NextHopDelivery implements JamesMessageHook {

    private static final Map<Category, String> DEFAULT_DESTINIES = Map.of(
        Category.VIRUS, "discard", Category.BANNED, "bounce", Category.UNCHECKED, "bounce", Category.SPAM, "discard");

    /** Spam headers this listener writes, besides X-Spam-Status (the scan's). */
    private static final List<String> FORGEABLE_SPAM_HEADERS = List.of("X-Spam-Flag", "X-Spam-Score", "X-Spam-Level", "X-Spam-Report");

    private final Quarantine quarantine;
    private final SpamLevels levels;
    private final DeliveryOutcomes outcomes;
    private final SpamHeaders spamHeaders;
    private final SpamMark spamMark;
    private final NextHops nextHops;
    private final Map<Category, Destiny.Fate> destinies = new EnumMap<>(Category.class);
    private EndOfDataRefusals caught;
    private NextHop nextHop;

    @Inject
    public NextHopDelivery(Quarantine quarantine, SpamLevels levels, DeliveryOutcomes outcomes, SpamHeaders spamHeaders, SpamMark spamMark,
                           NextHops nextHops) {
        this.quarantine = quarantine;
        this.levels = levels;
        this.outcomes = outcomes;
        this.spamHeaders = spamHeaders;
        this.spamMark = spamMark;
        this.nextHops = nextHops;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            nextHop = NextHop.parse(config.getString("nextHop", ""), Duration.ofSeconds(config.getLong("timeout", 300)));
            nextHops.add(nextHop);
            for (Map.Entry<Category, String> destiny : DEFAULT_DESTINIES.entrySet()) {
                destinies.put(destiny.getKey(), Destiny.Fate.named(config.getString(destiny.getKey().label(), destiny.getValue())));
            }
            caught = EndOfDataRefusals.parse("virus banned unchecked spam", levels);
            spamHeaders.init(new MailetParameters("SpamHeaders", Map.of("report", config.getString("report", "false"))));
            spamMark.init(new MailetParameters("SpamMark", Map.of("subjectPrefix", config.getString("subjectPrefix", "***SPAM***"))));
        } catch (MessagingException | IllegalArgumentException e) {
            throw new ConfigurationException("NextHopDelivery: " + e.getMessage(), e);
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        try {
            if (!ScanAttributes.isScanned(mail)) {
                // ScanDuringData comes first in the listener's chain; never pass on what it did not scan
                return answer(HookReturnCode.denySoft(), new NextHop.Answer("451", "4.3.0 Temporary failure: message not scanned"));
            }
            Optional<Category> category = caught.refusal(mail);
            if (category.isPresent() && destinies.get(category.get()) != Destiny.Fate.PASS) {
                return keep(mail, category.get());
            }
            if (category.isPresent()) {
                mail.getMessage().setHeader(CaughtMail.ALERT_HEADER, category.get().alert(category.get().finding(mail)));
                MailLog.LOGGER.info("{}: {}: {}, destiny=pass", mail.getName(), category.get().label(), category.get().finding(mail));
            }
            markSpam(mail);
            NextHop.Answer answer = nextHop.forward(mail, session.getConfiguration().getHelloName(), outcomes);
            return answer(answer.accepted() ? HookReturnCode.ok() : answer.code().startsWith("5") ? HookReturnCode.deny() : HookReturnCode.denySoft(),
                answer);
        } catch (MessagingException | RuntimeException e) {
            // nothing was passed on or kept: the client keeps the mail and tries again
            MailLog.LOGGER.warn("{}: warning: filter port: {}", mail.getName(), e.getMessage());
            return answer(HookReturnCode.denySoft(), new NextHop.Answer("451", "4.3.0 Temporary failure: " + e.getMessage()));
        }
    }

    private HookResult keep(Mail mail, Category category) throws MessagingException {
        Destiny.Fate fate = destinies.get(category);
        String finding = category.finding(mail);
        // a release goes where this mail was going (NextHops)
        mail.getMessage().setHeader(NextHop.HEADER, nextHop.address());
        QuarantineEntry entry = CaughtMail.keepInQuarantine(quarantine, category, finding, mail);
        outcomes.keptByContentFilter(mail, fate != Destiny.Fate.DISCARD, category, finding, Optional.of(entry.id()));
        if (fate == Destiny.Fate.DISCARD) {
            return answer(HookReturnCode.ok(),
                new NextHop.Answer("250", "2.7.0 Ok, discarded, id=" + entry.id() + " - " + category.label() + ": " + finding));
        }
        String reply = category.reply(finding);
        return answer(HookReturnCode.deny(), new NextHop.Answer(reply.substring(0, 3), reply.substring(4) + ", id=" + entry.id()));
    }

    private void markSpam(Mail mail) throws MessagingException {
        // the scan replaced X-Virus-Scanned and X-Spam-Status; the sender's own spam verdict goes too
        for (String forged : FORGEABLE_SPAM_HEADERS) {
            mail.getMessage().removeHeader(forged);
        }
        Optional<Double> score = ScanAttributes.spamScore(mail);
        if (score.isEmpty() || mail.getRecipients().isEmpty()) {
            return;
        }
        String recipient = mail.getRecipients().iterator().next().asString();
        if (levels.reaches(recipient, score.get(), SpamLevels.Level.TAG)) {
            spamHeaders.service(mail);
        }
        if (levels.reaches(recipient, score.get(), SpamLevels.Level.TAG2)) {
            spamMark.service(mail);
        }
    }

    private static HookResult answer(HookReturnCode code, NextHop.Answer answer) {
        return HookResult.builder().hookReturnCode(code).smtpReturnCode(answer.code()).smtpDescription(answer.text()).build();
    }
}
