package org.maildeck.console;

import java.io.IOException;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.core.Username;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AccountStore;
import org.maildeck.adminaccess.accounts.Accounts;

/**
 * A mail user's own page ({@code /account}, reached only with a mail user's session): its
 * password, changed with the old one (checked again here, so a session left open is not enough)
 * under the admin command's rules ({@link Accounts}), which ends the user's other console sessions,
 * and its vacation reply ({@link VacationScript}).
 */
final class AccountPage implements Page {

    private final Accounts accounts;
    private final MailUsers users;
    private final VacationScript vacation;
    private final Sessions sessions;

    AccountPage(AccountStore store, MailUsers users, VacationScript vacation, Sessions sessions) {
        this.accounts = new Accounts(store);
        this.users = users;
        this.vacation = vacation;
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return "account";
    }

    @Override
    public void show(Exchange exchange) throws IOException {
        VacationScript.Reply reply = vacation.read(Username.of(exchange.mailUser));
        Map<String, Object> model = exchange.model("Your account " + exchange.mailUser);
        model.put("vacationOn", reply.active());
        model.put("subject", reply.subject());
        model.put("text", reply.text());
        model.put("days", VacationScript.DAYS);
        model.put("maxSubject", VacationScript.MAX_SUBJECT);
        model.put("maxText", VacationScript.MAX_TEXT);
        exchange.render(HttpServletResponse.SC_OK, "account", model);
    }

    @Override
    public void change(Exchange exchange, String action) throws IOException {
        switch (action) {
            case "password" -> changePassword(exchange);
            case "vacation" -> changeVacation(exchange);
            default -> exchange.response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private void changePassword(Exchange exchange) throws IOException {
        String old = exchange.password("old");
        String replacement = exchange.password("new");
        if (!replacement.equals(exchange.password("again"))) {
            throw AccountRefused.refused("the new passwords do not match");
        }
        if (users.verify(exchange.mailUser, old).isEmpty()) {
            exchange.audit("password change refused: wrong current password");
            throw AccountRefused.refused("wrong current password: nothing was changed");
        }
        accounts.changePassword(exchange.mailUser, name -> replacement);
        // a session opened elsewhere with the old password ends with it
        sessions.endOthersOf(exchange.session);
        exchange.audit("passwd " + exchange.mailUser);
        exchange.redirectAfterChange("/account", "Password changed.");
    }

    private void changeVacation(Exchange exchange) throws IOException {
        Username user = Username.of(exchange.mailUser);
        switch (exchange.field("state", 3)) {
            case "on" -> {
                vacation.activate(user, exchange.field("subject", VacationScript.MAX_SUBJECT),
                    exchange.field("text", VacationScript.MAX_TEXT));
                exchange.audit("vacation on " + exchange.mailUser);
                exchange.redirectAfterChange("/account", "Vacation reply on.");
            }
            case "off" -> {
                boolean wasOn = vacation.deactivate(user);
                exchange.audit("vacation off " + exchange.mailUser);
                exchange.redirectAfterChange("/account", wasOn ? "Vacation reply off." : "The vacation reply was not on.");
            }
            default -> throw new Exchange.FieldRefused("state: on or off");
        }
    }
}
