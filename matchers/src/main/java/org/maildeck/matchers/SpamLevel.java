package org.maildeck.matchers;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.ScanAttributes;

/**
 * The recipients for whom the mail's spam score reaches a level: {@code SpamLevel=tag},
 * {@code SpamLevel=tag2} or {@code SpamLevel=kill}, each recipient with its own levels
 * (contentfilter.properties {@code spam.levels*}; spam lovers never reach kill). Mail spamd
 * did not score matches nobody, and mail released from the spam quarantine never reaches kill.
 */
public class SpamLevel extends GenericMatcher {

    private final SpamLevels levels;
    private SpamLevels.Level level;

    @Inject
    public SpamLevel(SpamLevels levels) {
        this.levels = levels;
    }

    @Override
    public void init() throws MessagingException {
        String condition = Optional.ofNullable(getCondition()).orElse("").trim();
        try {
            level = SpamLevels.Level.valueOf(condition.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SpamLevel needs tag, tag2 or kill, not '" + condition + "'");
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        Optional<Double> score = ScanAttributes.spamScore(mail);
        if (score.isEmpty() || level == SpamLevels.Level.KILL && releasedFromSpamQuarantine(mail)) {
            return List.of();
        }
        return mail.getRecipients().stream()
            .filter(recipient -> levels.reaches(recipient.asString(), score.get(), level))
            .toList();
    }

    /** An admin released it: it is still tagged and filed into Junk, but not killed a second time. */
    private static boolean releasedFromSpamQuarantine(Mail mail) {
        return ScanAttributes.releasedFrom(mail).filter(Category.SPAM.label()::equals).isPresent();
    }
}
