package org.maildeck.monitoring;

/**
 * {@code org.maildeck:type=ContentFilter}: what the content filter did with messages since the
 * server started, whichever scanner decided, and what it learnt from users' Junk folders.
 */
public interface ContentFilterMXBean {

    /** Messages sent over the scanning route (in the SMTP session or after the queue). */
    long getMessagesScannedTotal();

    /** Messages with no virus, no banned part and no scanner failure. */
    long getCleanTotal();

    long getInfectedTotal();

    long getBannedTotal();

    /** Messages marked as spam (X-Spam-Flag, subject, Junk folder) at the tag2 level. */
    long getSpamTaggedTotal();

    /** Messages kept from their recipients as spam at the kill level: quarantined, discarded, bounced or refused in the session. */
    long getSpamKilledTotal();

    /** Messages that went on without a spam score because spamd gave none (onSpamdFailure=pass). */
    long getSpamUncheckedTotal();

    /** Messages users moved into Junk that spamd learnt as spam. */
    long getJunkLearntSpamTotal();

    /** Messages users moved out of Junk that spamd learnt as ham. */
    long getJunkLearntHamTotal();

    /** Moves spamd could not learn from. */
    long getJunkLearningFailuresTotal();
}
