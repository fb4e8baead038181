package org.maildeck.milter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.maildeck.mailets.CaughtMail;

/**
 * The header changes that turn the message Postfix holds into the one the scan left: every header
 * Maildeck writes ({@code X-Virus-Scanned}, {@code X-Spam-*}, {@code X-Quarantine-ID},
 * {@code X-Maildeck-Alert}) that came with the message is removed (a forged verdict must not
 * survive), the ones the scan wrote are added, and a changed {@code Subject} is replaced.
 */
final class HeaderChanges {

    private HeaderChanges() {
    }

    static boolean isOurs(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("x-spam-") || lower.equals("x-virus-scanned")
            || lower.equals(CaughtMail.QUARANTINE_HEADER.toLowerCase(Locale.ROOT))
            || lower.equals(CaughtMail.ALERT_HEADER.toLowerCase(Locale.ROOT));
    }

    /** Takes Maildeck's headers off the message before it is scanned, so that only the scan's own are there after it. */
    static void removeOurs(MimeMessage message) throws MessagingException {
        List<String> names = Collections.list(message.getAllHeaders()).stream().map(Header::getName).filter(HeaderChanges::isOurs)
            .distinct().toList();
        for (String name : names) {
            message.removeHeader(name);
        }
    }

    static List<MilterPacket> between(List<ReceivedMessage.Header> received, MimeMessage scanned) throws MessagingException {
        List<MilterPacket> changes = new ArrayList<>();
        // Postfix counts the index per header name, from 1: remove from the last, so the earlier keep their index
        Map<String, List<String>> forged = new LinkedHashMap<>();
        for (ReceivedMessage.Header header : received) {
            if (isOurs(header.name())) {
                forged.computeIfAbsent(header.name().toLowerCase(Locale.ROOT), any -> new ArrayList<>()).add(header.name());
            }
        }
        forged.values().forEach(names -> {
            for (int index = names.size(); index >= 1; index--) {
                changes.add(Verdict.changeHeader(index, names.get(index - 1), ""));
            }
        });
        for (Header header : Collections.list(scanned.getAllHeaders())) {
            if (isOurs(header.getName())) {
                changes.add(Verdict.addHeader(header.getName(), unfolded(header.getValue())));
            }
        }
        Optional<String> subjectBefore = received.stream().filter(header -> header.name().equalsIgnoreCase("Subject"))
            .map(ReceivedMessage.Header::value).findFirst();
        String subjectAfter = scanned.getHeader("Subject", null);
        if (subjectAfter != null && !subjectBefore.map(before -> unfolded(before).equals(unfolded(subjectAfter))).orElse(false)) {
            changes.add(subjectBefore.isPresent()
                ? Verdict.changeHeader(1, "Subject", unfolded(subjectAfter))
                : Verdict.addHeader("Subject", unfolded(subjectAfter)));
        }
        return changes;
    }

    /** One line: Postfix folds long header lines itself. */
    private static String unfolded(String value) {
        return value.replaceAll("\r?\n(?=[ \t])", "").strip();
    }
}
