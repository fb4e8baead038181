package org.maildeck.mailauth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.api.Headers;

/**
 * A message's header fields as jDKIM reads them: each whole field ("Name: value", folded as it
 * came), in order, and by name. James's own adapter (MimeMessageHeaders in
 * james-server-mailet-dkim) is package-private, hence this copy of its few lines; unlike it, a
 * line without a colon is skipped rather than failing the whole message.
 */
final class MessageHeaderFields implements Headers {

    private final List<String> fields = new ArrayList<>();
    private final Map<String, List<String>> byName = new HashMap<>();

    MessageHeaderFields(MimeMessage message) throws MessagingException {
        for (String line : Collections.list(message.getAllHeaderLines())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim();
                fields.add(name);
                byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(line);
            }
        }
    }

    @Override
    public List<String> getFields() {
        return fields;
    }

    @Override
    public List<String> getFields(String name) {
        return byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
