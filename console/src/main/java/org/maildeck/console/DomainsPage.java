package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URLEncoder;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.core.Domain;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.adminaccess.accounts.Accounts;

/** The local domains: every one for the super-admin, who alone adds and removes them; a domain admin's own. */
final class DomainsPage implements Page {

    private final AccountStore store;
    private final Accounts accounts;

    DomainsPage(AccountStore store) {
        this.store = store;
        this.accounts = new Accounts(store);
    }

    @Override
    public String name() {
        return "domains";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        List<String> domains = store.domains().stream()
            .filter(name -> exchange.admin.manages(Domain.of(name)))
            .sorted()
            .toList();
        Map<String, Object> model = exchange.model("Domains");
        model.put("onDomains", true);
        Listing.page(domains, name -> name, exchange.field("q", Exchange.Fields.SEARCH), exchange.request.getParameter("page"),
            "/domains", "", name -> Map.of("name", name, "usersHref", "/users?domain=" + URLEncoder.encode(name, UTF_8)), model);
        exchange.render(HttpServletResponse.SC_OK, "domains", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        if (!exchange.admin.superAdmin()) {
            throw new Forbidden("only the super-admin adds and removes domains");
        }
        String name = exchange.field("domain", Exchange.Fields.DOMAIN);
        switch (action) {
            case "add" -> {
                Domain domain = accounts.addDomain(name);
                exchange.audit("domain add " + domain.asString());
                exchange.redirectAfterChange("/domains", "Domain " + domain.asString() + " added.");
            }
            case "remove" -> {
                Domain domain = accounts.removeDomain(name);
                exchange.audit("domain remove " + domain.asString());
                exchange.redirectAfterChange("/domains", "Domain " + domain.asString() + " removed.");
            }
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }
}
