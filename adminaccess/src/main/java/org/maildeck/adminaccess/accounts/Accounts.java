package org.maildeck.adminaccess.accounts;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;

/**
 * The rules of changing domains, accounts and aliases, with their messages, shared by the
 * admin commands ({@code maildeck domain|user|alias}) and the web console so that both refuse
 * the same input in the same words. James's repositories accept some of it silently (a
 * duplicate domain or alias, the removal of something missing, an alias shadowing an account
 * over WebAdmin's forced PUT): each such case is checked here first and refused by name.
 *
 * <p>A catch-all is an alias written {@code @domain}, as a Postfix admin writes it in
 * virtual_alias_maps: the addresses of the domain that are no account (and have no alias of
 * their own) are delivered to its target; unlike Postfix's, it never takes an account's mail, so
 * the accounts need no {@code user@domain user@domain} lines of their own.
 */
public final class Accounts {

    private final AccountStore store;

    public Accounts(AccountStore store) {
        this.store = store;
    }

    public Domain addDomain(String name) {
        Domain domain = AddressSyntax.domain(name);
        // The store answers a duplicate with success too; an admin who typed it twice should know.
        if (store.domainExists(domain)) {
            throw AccountRefused.refused("domain '%s' already exists", domain.asString());
        }
        store.addDomain(domain);
        return domain;
    }

    public Domain removeDomain(String name) {
        Domain domain = AddressSyntax.domain(name);
        // The store answers the removal of a missing domain with success as well.
        if (!store.domainExists(domain)) {
            throw AccountRefused.refused("no such domain '%s'", domain.asString());
        }
        store.removeDomain(domain);
        return domain;
    }

    /** Creates the account {@code address}; the password is asked for only once the rest is known to be right. */
    public Username addUser(String address, Function<Username, String> password) {
        Username username = username(address);
        requireLocalDomain(username.getDomainPart().orElseThrow());
        // Checked before asking for the password, so that nobody types one for nothing.
        if (store.userExists(username)) {
            throw AccountRefused.refused("user '%s' already exists", username.asString());
        }
        store.addUser(username, nonEmpty(password.apply(username)));
        return username;
    }

    public Username changePassword(String address, Function<Username, String> password) {
        Username username = username(address);
        // WebAdmin's forced PUT would create a missing user instead of failing.
        requireUser(username);
        store.changePassword(username, nonEmpty(password.apply(username)));
        return username;
    }

    /** Deletes the account {@code address} (its stored mail is kept). */
    public Username removeUser(String address) {
        Username username = username(address);
        // The store answers the removal of a missing user with success as well.
        requireUser(username);
        store.removeUser(username);
        return username;
    }

    /**
     * Adds the alias {@code aliasText -> targetText}; an alias written {@code @domain} is the
     * domain's catch-all, as in Postfix's virtual_alias_maps.
     */
    public Alias addAlias(String aliasText, String targetText) {
        if (CatchAll.written(aliasText)) {
            return addCatchAll(aliasText, targetText);
        }
        MailAddress alias = AddressSyntax.address(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        // James reads the local part * as the domain's wildcard: that is a catch-all, with its own checks.
        if (alias.getLocalPart().equals("*")) {
            throw AccountRefused.usage("'%s' is written @%s for a catch-all", alias.asString(), alias.getDomain().asString());
        }
        if (alias.equals(target)) {
            throw AccountRefused.refused("alias '%s' cannot point to itself", alias.asString());
        }
        requireLocalDomain(alias.getDomain());
        // James's aliases only take local targets; a remote one needs a forward.
        if (!store.domainExists(target.getDomain())) {
            throw AccountRefused.refused("alias target '%s' is not in a local domain (aliases can only point to local addresses)", target.asString());
        }
        // James refuses an alias that would shadow an account; say it in our words.
        if (store.userExists(Username.fromMailAddress(alias))) {
            throw AccountRefused.refused("'%s' is a user; an alias cannot have the address of a user", alias.asString());
        }
        // The store silently accepts a duplicate.
        if (isAliasOf(alias, target)) {
            throw AccountRefused.refused("alias '%s -> %s' already exists", alias.asString(), target.asString());
        }
        store.addAlias(alias, target);
        return new Alias(alias.asString(), target);
    }

    public Alias removeAlias(String aliasText, String targetText) {
        if (CatchAll.written(aliasText)) {
            return removeCatchAll(aliasText, targetText);
        }
        MailAddress alias = AddressSyntax.address(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        // The store answers the removal of a missing alias with success as well.
        if (!isAliasOf(alias, target)) {
            throw AccountRefused.refused("no such alias '%s -> %s'", alias.asString(), target.asString());
        }
        store.removeAlias(alias, target);
        return new Alias(alias.asString(), target);
    }

    private Alias addCatchAll(String aliasText, String targetText) {
        Domain domain = CatchAll.domain(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        requireLocalDomain(domain);
        // A catch-all delivers to a mailbox: to anything else the mail would bounce or loop.
        if (!store.userExists(Username.fromMailAddress(target))) {
            throw AccountRefused.refused("catch-all target '%s' is not a user (a catch-all delivers to an account)", target.asString());
        }
        // One per domain, as in a virtual_alias_maps file: a second would silently add a copy.
        store.catchAlls().stream().filter(catchAll -> catchAll.getKey().equals(domain.asString())).findFirst().ifPresent(existing -> {
            throw AccountRefused.refused("domain '%s' already has the catch-all '@%s -> %s' (remove it first)",
                domain.asString(), domain.asString(), existing.getValue());
        });
        store.addCatchAll(domain, target);
        return new Alias(CatchAll.of(domain), target);
    }

    private Alias removeCatchAll(String aliasText, String targetText) {
        Domain domain = CatchAll.domain(aliasText);
        MailAddress target = AddressSyntax.address(targetText);
        // The store answers the removal of a missing catch-all with success as well.
        if (store.catchAlls().stream().noneMatch(catchAll -> catchAll.getKey().equals(domain.asString())
            && catchAll.getValue().equalsIgnoreCase(target.asString()))) {
            throw AccountRefused.refused("no such catch-all '@%s -> %s'", domain.asString(), target.asString());
        }
        store.removeCatchAll(domain, target);
        return new Alias(CatchAll.of(domain), target);
    }

    /**
     * An alias as changed: mail to {@code alias} is delivered to {@code target}; for a
     * catch-all {@code alias} is {@code @domain} (see {@link CatchAll}).
     */
    public record Alias(String alias, MailAddress target) {

        /** "alias -> target", as listed and logged. */
        public String describe() {
            return alias + " -> " + target.asString();
        }
    }

    /** The aliases and the catch-alls (as {@code @domain}), by alias then target: the lists admins read. */
    public List<Map.Entry<String, String>> aliasesAndCatchAlls() {
        return Stream.concat(store.aliases().stream(),
                store.catchAlls().stream().map(catchAll -> Map.entry("@" + catchAll.getKey(), catchAll.getValue())))
            .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
            .toList();
    }

    /** The check, shared by accounts and aliases, that an address belongs to a domain served here. */
    public void requireLocalDomain(Domain domain) {
        if (!store.domainExists(domain)) {
            throw AccountRefused.refused("unknown domain '%s' (add it with: maildeck domain add %s)", domain.asString(), domain.asString());
        }
    }

    /** The account {@code address}, which must exist (for a change the rules here do not cover, such as its quota). */
    public Username existingUser(String address) {
        Username username = username(address);
        requireUser(username);
        return username;
    }

    private void requireUser(Username username) {
        if (!store.userExists(username)) {
            throw AccountRefused.refused("no such user '%s'", username.asString());
        }
    }

    private boolean isAliasOf(MailAddress alias, MailAddress target) {
        return store.aliasesOf(target).stream().anyMatch(source -> source.equalsIgnoreCase(alias.asString()));
    }

    private static Username username(String address) {
        return Username.fromMailAddress(AddressSyntax.mailboxOwner(address));
    }

    private static String nonEmpty(String given) {
        if (given == null || given.isEmpty()) {
            throw AccountRefused.refused("empty password refused");
        }
        return given;
    }
}
