package org.maildeck.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.core.MailAddress;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.adminaccess.accounts.Accounts;
import org.maildeck.adminaccess.accounts.AddressSyntax;

/** The aliases whose address is in a domain the admin manages: add, remove. */
final class AliasesPage implements Page {

    private final AccountStore store;
    private final Accounts accounts;

    AliasesPage(AccountStore store) {
        this.store = store;
        this.accounts = new Accounts(store);
    }

    @Override
    public String name() {
        return "aliases";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        List<Map.Entry<String, String>> aliases = store.aliases().stream()
            .filter(alias -> Scope.manages(exchange.admin, alias.getKey()))
            .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
            .toList();
        Map<String, Object> model = exchange.model("Aliases");
        model.put("onAliases", true);
        Listing.page(aliases, alias -> alias.getKey() + " " + alias.getValue(), exchange.field("q", Exchange.Fields.SEARCH),
            exchange.request.getParameter("page"), "/aliases", "",
            alias -> Map.of("alias", alias.getKey(), "target", alias.getValue()), model);
        exchange.render(HttpServletResponse.SC_OK, "aliases", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        String alias = exchange.field("alias", Exchange.Fields.ADDRESS);
        String target = exchange.field("target", Exchange.Fields.ADDRESS);
        // a domain admin's alias may neither be in another domain nor deliver to one
        Scope.require(exchange.admin, AddressSyntax.address(alias).getDomain());
        Scope.require(exchange.admin, AddressSyntax.address(target).getDomain());
        switch (action) {
            case "add" -> {
                Accounts.Alias added = accounts.addAlias(alias, target);
                exchange.audit("alias add " + describe(added.alias(), added.target()));
                exchange.redirectAfterChange("/aliases", "Alias " + describe(added.alias(), added.target()) + " added.");
            }
            case "remove" -> {
                Accounts.Alias removed = accounts.removeAlias(alias, target);
                exchange.audit("alias remove " + describe(removed.alias(), removed.target()));
                exchange.redirectAfterChange("/aliases", "Alias " + describe(removed.alias(), removed.target()) + " removed.");
            }
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private static String describe(MailAddress alias, MailAddress target) {
        return alias.asString() + " -> " + target.asString();
    }
}
