package org.maildeck.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maildeck domain add|remove|list}: the local domains (postfix mydestination). */
@Command(name = "domain", description = "Local domains: mail for them is delivered here.")
final class DomainCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Make DOMAIN a local domain.")
    void add(@Parameters(paramLabel = "DOMAIN") String name) {
        admin.accounts().addDomain(name);
    }

    @Command(name = "remove", description = "Stop serving DOMAIN (its users and aliases are kept).")
    void remove(@Parameters(paramLabel = "DOMAIN") String name) {
        admin.accounts().removeDomain(name);
    }

    @Command(name = "list", description = "The local domains, one per line.")
    void list() {
        admin.webAdmin().domains().stream().sorted().forEach(System.out::println);
    }
}
