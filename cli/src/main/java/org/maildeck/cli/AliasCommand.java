package org.maildeck.cli;

import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maildeck alias add|remove|list}: address aliases (postfix virtual_alias_maps). */
@Command(name = "alias", description = "Address aliases: mail to ALIAS is delivered to TARGET.")
final class AliasCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Deliver mail for ALIAS to TARGET; both must be in local domains.")
    void add(@Parameters(paramLabel = "ALIAS") String aliasText, @Parameters(paramLabel = "TARGET") String targetText) {
        MailAddress alias = AddressSyntax.address(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        if (alias.equals(target)) {
            throw AdminFailure.refused("alias '%s' cannot point to itself", alias.asString());
        }
        WebAdminClient webAdmin = admin.webAdmin();
        LocalDomains.require(webAdmin, alias.getDomain());
        // James' alias routes only accept local targets; a remote one needs a forward.
        if (!webAdmin.domainExists(target.getDomain())) {
            throw AdminFailure.refused("alias target '%s' is not in a local domain (aliases can only point to local addresses)", target.asString());
        }
        // James refuses an alias that would shadow an account; say it in our words.
        if (webAdmin.userExists(Username.fromMailAddress(alias))) {
            throw AdminFailure.refused("'%s' is a user; an alias cannot have the address of a user", alias.asString());
        }
        // WebAdmin silently accepts a duplicate.
        if (isAliasOf(webAdmin, alias, target)) {
            throw AdminFailure.refused("alias '%s -> %s' already exists", alias.asString(), target.asString());
        }
        webAdmin.addAlias(alias, target);
    }

    @Command(name = "remove", description = "Stop delivering mail for ALIAS to TARGET.")
    void remove(@Parameters(paramLabel = "ALIAS") String aliasText, @Parameters(paramLabel = "TARGET") String targetText) {
        MailAddress alias = AddressSyntax.address(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        WebAdminClient webAdmin = admin.webAdmin();
        // WebAdmin answers 204 to the removal of a missing alias as well.
        if (!isAliasOf(webAdmin, alias, target)) {
            throw AdminFailure.refused("no such alias '%s -> %s'", alias.asString(), target.asString());
        }
        webAdmin.removeAlias(alias, target);
    }

    @Command(name = "list", description = "The aliases, one 'ALIAS -> TARGET' per line.")
    void list() {
        admin.webAdmin().aliases().stream()
            .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
            .forEach(alias -> System.out.println(alias.getKey() + " -> " + alias.getValue()));
    }

    private static boolean isAliasOf(WebAdminClient webAdmin, MailAddress alias, MailAddress target) {
        return webAdmin.aliasesOf(target).stream().anyMatch(source -> source.equalsIgnoreCase(alias.asString()));
    }
}
