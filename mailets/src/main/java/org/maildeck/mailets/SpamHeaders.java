package org.maildeck.mailets;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.antispam.SpamdClient;
import org.maildeck.antispam.SpamdException;

/**
 * amavisd-new's tag-level headers, for the recipients whose {@code tag} level the score reaches
 * (matcher {@code SpamLevel=tag}):
 * <pre>
 * X-Spam-Status: No, score=3.1 tagged_above=2.0 required=5.0 tests=[MISSING_DATE, NO_RELAYS]
 * X-Spam-Score: 3.1
 * X-Spam-Level: ***
 * </pre>
 * {@code SpamMark} turns the status to {@code Yes} for recipients at {@code tag2}. Parameter
 * {@code report} ({@code false} by default): also {@code X-Spam-Report}, SpamAssassin's
 * readable report, asked from spamd for each tagged message.
 */
public class SpamHeaders extends GenericMailet {
    static final String STATUS = "X-Spam-Status";
    static final String SCORE = "X-Spam-Score";
    static final String LEVEL = "X-Spam-Level";
    static final String REPORT = "X-Spam-Report";
    private static final int MAX_STARS = 64;

    private final SpamLevels levels;
    private final SpamdClient spamd;
    private boolean report;

    @Inject
    public SpamHeaders(SpamLevels levels, SpamdClient spamd) {
        this.levels = levels;
        this.spamd = spamd;
    }

    @Override
    public void init() {
        report = getInitParameter("report", false);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Double> score = ScanAttributes.spamScore(mail);
        if (score.isEmpty() || mail.getRecipients().isEmpty()) {
            return;
        }
        SpamLevels.Levels recipientLevels = levels.of(mail.getRecipients().iterator().next().asString());
        List<String> tests = ScanAttributes.spamSymbols(mail).map(symbols -> List.of(symbols.split(","))).orElse(List.of());
        MimeMessage message = mail.getMessage();
        message.setHeader(STATUS, "No, score=" + number(score.get())
            + " tagged_above=" + level(recipientLevels.tag()) + " required=" + level(recipientLevels.tag2())
            + " tests=[" + String.join(", ", tests) + "]");
        message.setHeader(SCORE, number(score.get()));
        message.setHeader(LEVEL, "*".repeat((int) Math.max(0, Math.min(MAX_STARS, Math.floor(score.get())))));
        if (report) {
            addReport(mail, message);
        }
    }

    private void addReport(Mail mail, MimeMessage message) throws MessagingException {
        try {
            byte[] content = ContentBytes.of(message);
            // one folded line per report line; blank ones would make whitespace-only header lines
            List<String> lines = spamd.report(content, Optional.empty()).lines()
                .map(String::stripTrailing).filter(line -> !line.isEmpty()).toList();
            // the rule table, without spamd's preamble for its own report mails
            int details = lines.stream().filter(line -> line.startsWith("Content analysis details")).findFirst()
                .map(lines::indexOf).orElse(0);
            lines = lines.subList(details, lines.size());
            message.setHeader(REPORT, String.join("\r\n\t", lines));
        } catch (SpamdException e) {
            MailLog.LOGGER.warn("{}: warning: no X-Spam-Report: {}", mail.getName(), e.getMessage());
        }
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String level(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "off";
    }
}
