package org.maildeck.cli;

import java.util.ArrayList;
import java.util.List;

import org.maildeck.adminaccess.QueueId;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck queue list|flush|delete|hold|release}: the mail queue, as postqueue -p / -f
 * and postsuper -d / -h / -H show and change it.
 */
@Command(name = "queue", description = "Mail waiting for processing or delivery (postqueue, postsuper).")
final class QueueCommand {
    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "list", description = "Every queued message: ID (with ! when on hold), queue, size, arrival (UTC), next attempt, sender and recipients.")
    void list() {
        JsonNode mails = admin.webAdmin().queue();
        if (mails.isEmpty()) {
            System.out.println("Mail queue is empty");
            return;
        }
        System.out.printf("%-44s %-9s %9s %-19s %s%n", "-Queue ID-", "-Queue-", "-Size-", "-Arrival Time-", "-Sender/Recipient-");
        for (JsonNode mail : mails) {
            String id = mail.path("id").asText() + (mail.path("held").asBoolean() ? "!" : "");
            System.out.printf("%-44s %-9s %9d %-19s <%s>%n", id, mail.path("queue").asText(), mail.path("size").asLong(),
                time(mail.path("arrival").asText()), mail.path("sender").asText());
            for (String recipient : recipients(mail)) {
                System.out.printf("%84s<%s>%n", "", recipient);
            }
            if (!mail.path("nextAttempt").asText().isEmpty()) {
                System.out.printf("%84s(next attempt %s)%n", "", time(mail.path("nextAttempt").asText()));
            }
        }
        System.out.println("-- " + mails.size() + " message" + (mails.size() == 1 ? "" : "s") + " in the queue");
    }

    @Command(name = "flush", description = "Try deferred mail now instead of at its next attempt.")
    void flush() {
        long flushed = admin.webAdmin().flushQueue();
        System.out.println("maildeck: " + flushed + " deferred message" + (flushed == 1 ? "" : "s") + " scheduled for delivery now");
    }

    @Command(name = "delete", description = "Remove ID from the queue (or from hold) for good, without a bounce.")
    void delete(@Parameters(paramLabel = "ID") String id) {
        act("delete", id, "deleted");
    }

    @Command(name = "hold", description = "Put ID on hold: kept, but not delivered until released.")
    void hold(@Parameters(paramLabel = "ID") String id) {
        act("hold", id, "placed on hold");
    }

    @Command(name = "release", description = "Release ID from hold back into its queue.")
    void release(@Parameters(paramLabel = "ID") String id) {
        act("release", id, "released");
    }

    private void act(String action, String id, String done) {
        // anything but a queue id never reaches the server (they name files of the hold repository)
        if (!QueueId.isWellFormed(id)) {
            throw AdminFailure.refused("'%s' is not a queue id (see: maildeck queue list)", id);
        }
        int status = admin.webAdmin().queueAction(action, id);
        if (status == 404) {
            throw AdminFailure.refused("%s: no such message in the queue%s", id, action.equals("release") ? " on hold" : "");
        }
        if (status == 409) {
            throw AdminFailure.refused("%s: being delivered right now; look again with: maildeck queue list", id);
        }
        System.out.println(id + ": " + done);
    }

    private static String time(String iso) {
        return iso.replace('T', ' ').replaceFirst("(\\.\\d+)?Z$", "");
    }

    private static List<String> recipients(JsonNode mail) {
        List<String> recipients = new ArrayList<>();
        mail.path("recipients").forEach(recipient -> recipients.add(recipient.asText()));
        return recipients;
    }
}
