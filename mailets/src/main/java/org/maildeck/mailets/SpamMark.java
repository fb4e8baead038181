package org.maildeck.mailets;

import java.io.UnsupportedEncodingException;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * amavisd-new's tag2 marking, for the recipients whose {@code tag2} level the score reaches
 * (matcher {@code SpamLevel=tag2}): {@code X-Spam-Flag: YES}, {@code X-Spam-Status: Yes, ...} and
 * the subject prefixed with {@code subjectPrefix} and a space ({@code ***SPAM***} by default; empty
 * to leave subjects alone). Where the mail is stored is {@code JunkFolder}'s business.
 */
public class SpamMark extends GenericMailet {
    static final String FLAG = "X-Spam-Flag";

    private final ContentFilterCounters statistics;
    private String subjectPrefix;
    private String encodedPrefix;

    @Inject
    public SpamMark(ContentFilterCounters statistics) {
        this.statistics = statistics;
    }

    @Override
    public void init() {
        // James trims parameters, so the space before the subject is ours to add
        String prefix = getInitParameter("subjectPrefix", "***SPAM***").strip();
        subjectPrefix = prefix.isEmpty() ? "" : prefix + " ";
        try {
            encodedPrefix = prefix.isEmpty() ? "" : MimeUtility.encodeText(prefix, "UTF-8", null) + " ";
        } catch (UnsupportedEncodingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        statistics.recordSpamTagged();
        MimeMessage message = mail.getMessage();
        message.setHeader(FLAG, "YES");
        String status = message.getHeader(SpamHeaders.STATUS, null);
        if (status != null && status.startsWith("No,")) {
            message.setHeader(SpamHeaders.STATUS, "Yes," + status.substring("No,".length()));
        }
        String subject = message.getSubject();
        if (!subjectPrefix.isEmpty() && (subject == null || !subject.startsWith(subjectPrefix))) {
            // Put in front of the field as received: raw 8-bit bytes and encoded-words after it stay as they were.
            String asReceived = message.getHeader("Subject", null);
            message.setHeader("Subject", encodedPrefix + (asReceived == null ? "" : asReceived.stripLeading()));
        }
    }
}
