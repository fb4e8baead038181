package org.maildeck.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck alias add|remove|list}: address aliases and catch-alls (postfix
 * virtual_alias_maps, where a catch-all is written {@code @domain user@domain}).
 */
@Command(name = "alias", description = {"Address aliases: mail to ALIAS is delivered to TARGET.",
    "An ALIAS written @domain is the domain's catch-all: mail to its addresses that are no user (and no alias) goes to TARGET."})
final class AliasCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Deliver mail for ALIAS (an address, or @domain for a catch-all) to TARGET; both must be in local domains.")
    void add(@Parameters(paramLabel = "ALIAS") String alias, @Parameters(paramLabel = "TARGET") String target) {
        admin.accounts().addAlias(alias, target);
    }

    @Command(name = "remove", description = "Stop delivering mail for ALIAS to TARGET.")
    void remove(@Parameters(paramLabel = "ALIAS") String alias, @Parameters(paramLabel = "TARGET") String target) {
        admin.accounts().removeAlias(alias, target);
    }

    @Command(name = "list", description = "The aliases and catch-alls, one 'ALIAS -> TARGET' per line (a catch-all as '@domain -> TARGET').")
    void list() {
        admin.accounts().aliasesAndCatchAlls()
            .forEach(alias -> System.out.println(alias.getKey() + " -> " + alias.getValue()));
    }
}
