package org.maildeck.cli;

import org.apache.james.core.Domain;

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
        Domain domain = AddressSyntax.domain(name);
        WebAdminClient webAdmin = admin.webAdmin();
        // WebAdmin answers 204 to a duplicate too; an admin who typed it twice should know.
        if (webAdmin.domainExists(domain)) {
            throw AdminFailure.refused("domain '%s' already exists", domain.asString());
        }
        webAdmin.addDomain(domain);
    }

    @Command(name = "remove", description = "Stop serving DOMAIN (its users and aliases are kept).")
    void remove(@Parameters(paramLabel = "DOMAIN") String name) {
        Domain domain = AddressSyntax.domain(name);
        WebAdminClient webAdmin = admin.webAdmin();
        // WebAdmin answers 204 to the removal of a missing domain as well.
        if (!webAdmin.domainExists(domain)) {
            throw AdminFailure.refused("no such domain '%s'", domain.asString());
        }
        webAdmin.removeDomain(domain);
    }

    @Command(name = "list", description = "The local domains, one per line.")
    void list() {
        admin.webAdmin().domains().stream().sorted().forEach(System.out::println);
    }
}
