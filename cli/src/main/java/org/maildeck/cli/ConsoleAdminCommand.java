package org.maildeck.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck console-admin add|passwd|remove|list}: the admins of the web console, apart
 * from the mail users (the first one can only be made here). The server checks and stores
 * them (WebAdmin's {@code /maildeck/console-admins}); this command asks for the password.
 */
@Command(name = "console-admin", description = "Admins of the web console (not mail users).")
final class ConsoleAdminCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Create the console admin NAME: a super-admin, or with --domain the admin of these domains only.")
    void add(@Parameters(paramLabel = "NAME") String name,
             @Option(names = "--domain", paramLabel = "DOMAIN", description = "A domain this admin manages (repeatable); none: a super-admin.")
             List<String> domains,
             @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean passwordStdin) {
        String password = PasswordInput.read(passwordStdin, name);
        admin.webAdmin().changeConsoleAdmin("PUT", name, "",
            Map.of("password", password, "domains", domains == null ? List.of() : new ArrayList<>(domains)));
    }

    @Command(name = "passwd", description = "Change the password of the console admin NAME.")
    void passwd(@Parameters(paramLabel = "NAME") String name,
                @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean passwordStdin) {
        String password = PasswordInput.read(passwordStdin, name);
        admin.webAdmin().changeConsoleAdmin("PUT", name, "/password", Map.of("password", password));
    }

    @Command(name = "remove", description = "Delete the console admin NAME (its open sessions end).")
    void remove(@Parameters(paramLabel = "NAME") String name) {
        admin.webAdmin().changeConsoleAdmin("DELETE", name, "", null);
    }

    @Command(name = "list", description = "The console admins, one per line, with the domains each manages.")
    void list() {
        for (JsonNode entry : admin.webAdmin().consoleAdmins()) {
            List<String> domains = new ArrayList<>();
            entry.path("domains").forEach(domain -> domains.add(domain.asText()));
            System.out.println(entry.path("name").asText() + (domains.isEmpty() ? " (super-admin)" : " (" + String.join(", ", domains) + ")"));
        }
    }
}
