package org.maildeck.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck quarantine list|show|release|delete}: mail the content filter held back
 * (amavisd-new's quarantine and {@code amavisd-release}).
 */
@Command(name = "quarantine", description = "Mail held back by the content filter (viruses, banned attachments).")
final class QuarantineCommand {
    private static final Pattern ID = Pattern.compile("[a-z]{1,16}-[A-Za-z0-9]{12}");

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "list", description = "One line per quarantined message, oldest first: ID, time (UTC), category, size, sender, recipients and reason.")
    void list() {
        JsonNode entries = admin.webAdmin().quarantine();
        if (entries.isEmpty()) {
            System.out.println("quarantine is empty");
            return;
        }
        for (JsonNode entry : entries) {
            System.out.printf("%-30s %-20s %-7s %9d <%s> %s (%s)%n",
                entry.path("id").asText(), entry.path("time").asText().replace('T', ' ').replaceFirst("(\\.\\d+)?Z$", ""),
                entry.path("category").asText(), entry.path("size").asLong(), entry.path("sender").asText(),
                String.join(",", recipients(entry)), entry.path("reason").asText());
        }
        System.out.println("-- " + entries.size() + " message" + (entries.size() == 1 ? "" : "s"));
    }

    @Command(name = "show", description = "The envelope and reason of ID, then the message as it was caught.")
    void show(@Parameters(paramLabel = "ID") String id) {
        JsonNode entry = existing(id);
        System.out.println("id: " + entry.path("id").asText());
        System.out.println("time: " + entry.path("time").asText());
        System.out.println("category: " + entry.path("category").asText());
        System.out.println("reason: " + entry.path("reason").asText());
        System.out.println("sender: <" + entry.path("sender").asText() + ">");
        for (String recipient : recipients(entry)) {
            System.out.println("recipient: <" + recipient + ">");
        }
        System.out.println("size: " + entry.path("size").asLong());
        System.out.println();
        System.out.print(admin.webAdmin().quarantinedMessage(checked(id)));
    }

    @Command(name = "release", description = "Deliver ID to its original recipients; the check that caught it is not applied again.")
    void release(@Parameters(paramLabel = "ID") String id) {
        Optional<String> queueId = admin.webAdmin().releaseQuarantined(checked(id));
        System.out.println(id + ": released, queue id " + queueId.orElseThrow(() -> noSuchEntry(id)));
    }

    @Command(name = "delete", description = "Remove ID and its message for good.")
    void delete(@Parameters(paramLabel = "ID") String id) {
        if (!admin.webAdmin().deleteQuarantined(checked(id))) {
            throw noSuchEntry(id);
        }
        System.out.println(id + ": deleted");
    }

    private JsonNode existing(String id) {
        return admin.webAdmin().quarantineEntry(checked(id)).orElseThrow(() -> noSuchEntry(id));
    }

    private static String checked(String id) {
        if (!ID.matcher(id).matches()) {
            throw AdminFailure.refused("'%s' is not a quarantine id (like virus-Zq3mB0x7TcKd; see: maildeck quarantine list)", id);
        }
        return id;
    }

    private static AdminFailure noSuchEntry(String id) {
        return AdminFailure.refused("no quarantine entry '%s'", id);
    }

    private static List<String> recipients(JsonNode entry) {
        List<String> recipients = new ArrayList<>();
        entry.path("recipients").forEach(recipient -> recipients.add(recipient.asText()));
        return recipients;
    }
}
