package org.maildeck.mailets.smtpd;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.mailets.Category;
import org.maildeck.mailets.ScanAttributes;

import com.google.common.base.Splitter;

/**
 * The categories {@link ScanDuringData} (and the milter, for each of its destinies) refuses at the
 * end of DATA. A virus or banned finding is
 * refused outright; spam only when its score reaches the kill level of every recipient, since
 * one reply serves them all and a spam lover (or a recipient with a higher kill level) still
 * wants the message.
 */
public final class EndOfDataRefusals {

    private final Set<Category> categories;
    private final SpamLevels levels;

    private EndOfDataRefusals(Set<Category> categories, SpamLevels levels) {
        this.categories = categories;
        this.levels = levels;
    }

    /** {@code list} as in smtpserver.xml's {@code <reject>}: e.g. {@code virus, banned, spam}. */
    public static EndOfDataRefusals parse(String list, SpamLevels levels) throws MessagingException {
        Set<Category> categories = EnumSet.noneOf(Category.class);
        for (String name : Splitter.onPattern("[,\\s]+").omitEmptyStrings().split(list)) {
            categories.add(Category.named(name));
        }
        return new EndOfDataRefusals(categories, levels);
    }

    /** The category the session refuses this scanned mail for, if any. */
    public Optional<Category> refusal(Mail mail) {
        return categories.stream().filter(category -> refuses(category, mail)).findFirst();
    }

    private boolean refuses(Category category, Mail mail) {
        if (category != Category.SPAM) {
            return category.isFoundIn(mail);
        }
        return ScanAttributes.spamScore(mail)
            .map(score -> mail.getRecipients().stream().allMatch(rcpt -> levels.reaches(rcpt.asString(), score, SpamLevels.Level.KILL)))
            .orElse(false);
    }
}
