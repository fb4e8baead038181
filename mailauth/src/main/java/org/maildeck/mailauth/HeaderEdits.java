package org.maildeck.mailauth;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/**
 * The two header edits JavaMail has no call for: a field put on top of the message, where trace
 * fields (RFC 5322 3.6.7), DKIM-Signature and Authentication-Results (RFC 8601 5) belong (JavaMail
 * appends every field but Received and Return-Path), and the removal of some fields of a name but
 * not the others. Both take every field off and put back the ones kept, in order, raw as they
 * came, as James's DKIMSign does.
 */
final class HeaderEdits {

    private HeaderEdits() {
    }

    static void prepend(MimeMessage message, String fieldLine) throws MessagingException {
        List<String> lines = removeAll(message);
        message.addHeaderLine(fieldLine);
        lines.forEach(line -> addLine(message, line));
    }

    /** Removes the fields (whole lines, "Name: value") that {@code drop} selects; the number removed. */
    static int removeIf(MimeMessage message, Predicate<String> drop) throws MessagingException {
        List<String> lines = Collections.list(message.getAllHeaderLines());
        if (lines.stream().noneMatch(drop)) {
            return 0;
        }
        removeAll(message);
        int removed = 0;
        for (String line : lines) {
            if (drop.test(line)) {
                removed++;
            } else {
                addLine(message, line);
            }
        }
        return removed;
    }

    private static List<String> removeAll(MimeMessage message) throws MessagingException {
        List<String> lines = Collections.list(message.getAllHeaderLines());
        // each removal takes every field of the name, walking all the fields: once per name
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : Collections.list(message.getAllHeaders())) {
            if (names.add(header.getName())) {
                message.removeHeader(header.getName());
            }
        }
        return lines;
    }

    private static void addLine(MimeMessage message, String line) {
        try {
            message.addHeaderLine(line);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
