package org.maildeck.cli;

import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maildeck alias add|remove|list}: address aliases (postfix virtual_alias_maps). */
@Command(name = "alias", description = "Address aliases: mail to ALIAS is delivered to TARGET.")
final class AliasCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Deliver mail for ALIAS to TARGET; both must be in local domains.")
    void add(@Parameters(paramLabel = "ALIAS") String alias, @Parameters(paramLabel = "TARGET") String target) {
        admin.accounts().addAlias(alias, target);
    }

    @Command(name = "remove", description = "Stop delivering mail for ALIAS to TARGET.")
    void remove(@Parameters(paramLabel = "ALIAS") String alias, @Parameters(paramLabel = "TARGET") String target) {
        admin.accounts().removeAlias(alias, target);
    }

    @Command(name = "list", description = "The aliases, one 'ALIAS -> TARGET' per line.")
    void list() {
        admin.webAdmin().aliases().stream()
            .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
            .forEach(alias -> System.out.println(alias.getKey() + " -> " + alias.getValue()));
    }
}
