package org.maildeck.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.core.Domain;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.adminaccess.accounts.Accounts;
import org.maildeck.adminaccess.accounts.AddressSyntax;
import org.maildeck.adminaccess.accounts.CatchAll;

/**
 * The aliases and catch-alls ({@code @domain}, as the admin command writes them) whose address
 * is in a domain the admin manages: add, remove.
 */
final class AliasesPage implements Page {

    private final Accounts accounts;

    AliasesPage(AccountStore store) {
        this.accounts = new Accounts(store);
    }

    @Override
    public String name() {
        return "aliases";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        List<Map.Entry<String, String>> aliases = accounts.aliasesAndCatchAlls().stream()
            .filter(alias -> Scope.manages(exchange.admin, CatchAll.written(alias.getKey()) ? alias.getKey().substring(1) : alias.getKey()))
            .toList();
        Map<String, Object> model = exchange.model("Aliases");
        model.put("onAliases", true);
        Listing.page(aliases, alias -> alias.getKey() + " " + alias.getValue(), exchange.field("q", Exchange.Fields.SEARCH),
            exchange.request.getParameter("page"), "/aliases", "",
            alias -> Map.of("alias", alias.getKey(), "target", alias.getValue(), "catchAll", CatchAll.written(alias.getKey())), model);
        exchange.render(HttpServletResponse.SC_OK, "aliases", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        String alias = exchange.field("alias", Exchange.Fields.ADDRESS);
        String target = exchange.field("target", Exchange.Fields.ADDRESS);
        // a domain admin's alias or catch-all may neither be in another domain nor deliver to one
        Scope.require(exchange.admin, aliasDomain(alias));
        Scope.require(exchange.admin, AddressSyntax.address(target).getDomain());
        switch (action) {
            case "add" -> {
                Accounts.Alias added = accounts.addAlias(alias, target);
                exchange.audit("alias add " + added.describe());
                exchange.redirectAfterChange("/aliases", kind(added) + " " + added.describe() + " added.");
            }
            case "remove" -> {
                Accounts.Alias removed = accounts.removeAlias(alias, target);
                exchange.audit("alias remove " + removed.describe());
                exchange.redirectAfterChange("/aliases", kind(removed) + " " + removed.describe() + " removed.");
            }
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private static Domain aliasDomain(String alias) {
        return CatchAll.written(alias) ? CatchAll.domain(alias) : AddressSyntax.address(alias).getDomain();
    }

    private static String kind(Accounts.Alias alias) {
        return CatchAll.written(alias.alias()) ? "Catch-all" : "Alias";
    }
}
