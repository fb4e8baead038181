package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URLEncoder;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.adminaccess.accounts.Accounts;
import org.maildeck.adminaccess.accounts.AddressSyntax;

/** The mail accounts of the domains the admin manages: add, change the password or the storage limit, remove. */
final class UsersPage implements Page {

    private final AccountStore store;
    private final Accounts accounts;
    private final UserQuotas quotas;

    UsersPage(AccountStore store, UserQuotas quotas) {
        this.store = store;
        this.accounts = new Accounts(store);
        this.quotas = quotas;
    }

    @Override
    public String name() {
        return "users";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        String domainFilter = exchange.field("domain", Exchange.Fields.DOMAIN);
        if (!domainFilter.isEmpty()) {
            Domain domain = AddressSyntax.domain(domainFilter);
            Scope.require(exchange.admin, domain);
            domainFilter = domain.asString();
        }
        String only = domainFilter;
        List<String> users = store.users().stream()
            .filter(name -> Username.of(name).getDomainPart().filter(exchange.admin::manages).isPresent())
            .filter(name -> only.isEmpty() || Username.of(name).getDomainPart().map(Domain::asString).orElse("").equals(only))
            .sorted()
            .toList();
        Map<String, Object> model = exchange.model(only.isEmpty() ? "Users" : "Users of " + only);
        model.put("onUsers", true);
        if (!only.isEmpty()) {
            model.put("domainFilter", only);
        }
        Listing.page(users, name -> name, exchange.field("q", Exchange.Fields.SEARCH), exchange.request.getParameter("page"),
            "/users", only.isEmpty() ? "" : "domain=" + URLEncoder.encode(only, UTF_8) + "&", name -> Map.of("name", name, "quota", quotas.describe(Username.of(name))), model);
        exchange.render(HttpServletResponse.SC_OK, "users", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        String address = exchange.field("address", Exchange.Fields.ADDRESS);
        Scope.require(exchange.admin, AddressSyntax.mailboxOwner(address).getDomain());
        switch (action) {
            case "add" -> {
                String password = exchange.password("password");
                Username user = accounts.addUser(address, name -> password);
                exchange.audit("user add " + user.asString());
                exchange.redirectAfterChange("/users", "User " + user.asString() + " added.");
            }
            case "password" -> {
                String password = exchange.password("password");
                Username user = accounts.changePassword(address, name -> password);
                exchange.audit("user passwd " + user.asString());
                exchange.redirectAfterChange("/users", "Password of " + user.asString() + " changed.");
            }
            case "quota" -> {
                Username user = accounts.existingUser(address);
                String limit = quotas.setStorageLimit(user, exchange.field("storage", Exchange.Fields.SIZE));
                exchange.audit("user quota " + user.asString() + " storage=" + limit);
                exchange.redirectAfterChange("/users", "Storage limit of " + user.asString() + " set to " + limit + ".");
            }
            case "remove" -> {
                Username user = accounts.removeUser(address);
                exchange.audit("user remove " + user.asString());
                exchange.redirectAfterChange("/users", "User " + user.asString() + " removed (its stored mail is kept).");
            }
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }
}
