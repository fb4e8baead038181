package org.maildeck.mailets.smtpd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The commands of one SMTP session as Postfix's disconnect line counts them: {@code ehlo=1 mail=1
 * rcpt=0/1 quit=1 commands=3/4}, accepted/given where some were refused, so a session that only
 * probed addresses or failed AUTH stands out in the log.
 */
final class CommandCounts {

    private final Map<String, int[]> counts = new LinkedHashMap<>();

    void count(String command, boolean accepted) {
        int[] count = counts.computeIfAbsent(command.toLowerCase(Locale.ROOT), name -> new int[2]);
        count[1]++;
        if (accepted) {
            count[0]++;
        }
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        int accepted = 0;
        int given = 0;
        for (Map.Entry<String, int[]> entry : counts.entrySet()) {
            line.append(entry.getKey()).append('=').append(ratio(entry.getValue()[0], entry.getValue()[1])).append(' ');
            accepted += entry.getValue()[0];
            given += entry.getValue()[1];
        }
        return line.append("commands=").append(ratio(accepted, given)).toString();
    }

    private static String ratio(int accepted, int given) {
        return accepted == given ? String.valueOf(given) : accepted + "/" + given;
    }
}
