package org.maildeck.milter;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.maildeck.antispam.SpamLevels;
import org.maildeck.mailets.MailetParameters;
import org.maildeck.mailets.ScanAttributes;
import org.maildeck.mailets.SpamHeaders;
import org.maildeck.mailets.SpamMark;

/**
 * The pipeline's spam marks on a milter's message, by the same mailets ({@link SpamHeaders} at
 * the tag level, {@link SpamMark} at tag2). The pipeline marks each recipient's copy with its own
 * levels; Postfix delivers one message to all its recipients, so the marks are made when the
 * score reaches the level of any one of them.
 */
public final class SpamTags {

    private final SpamLevels levels;
    private final SpamHeaders headers;
    private final SpamMark mark;

    private SpamTags(SpamLevels levels, SpamHeaders headers, SpamMark mark) {
        this.levels = levels;
        this.headers = headers;
        this.mark = mark;
    }

    /** The two mailets, set up with {@code subjectPrefix} (as {@code SpamMark}'s parameter) and without X-Spam-Report. */
    public static SpamTags of(SpamLevels levels, SpamHeaders headers, SpamMark mark, String subjectPrefix) throws MessagingException {
        headers.init(new MailetParameters("SpamHeaders", Map.of("report", "false")));
        mark.init(new MailetParameters("SpamMark", Map.of("subjectPrefix", subjectPrefix)));
        return new SpamTags(levels, headers, mark);
    }

    void mark(Mail mail) throws MessagingException {
        Optional<Double> score = ScanAttributes.spamScore(mail);
        if (score.isEmpty()) {
            return;
        }
        if (anyReaches(mail.getRecipients(), score.get(), SpamLevels.Level.TAG)) {
            headers.service(mail);
        }
        if (anyReaches(mail.getRecipients(), score.get(), SpamLevels.Level.TAG2)) {
            mark.service(mail);
        }
    }

    private boolean anyReaches(Collection<MailAddress> recipients, double score, SpamLevels.Level level) {
        return recipients.stream().anyMatch(recipient -> levels.reaches(recipient.asString(), score, level));
    }
}
