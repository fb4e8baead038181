package org.maildeck.adminaccess.accounts;

import java.util.List;
import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;

/**
 * Where domains, accounts and aliases are kept, as {@link Accounts} sees it: the server's own
 * repositories for the web console, WebAdmin for the admin commands. Only the plain operations;
 * what may be done is decided by {@link Accounts}, the same for both.
 */
public interface AccountStore {

    List<String> domains();

    boolean domainExists(Domain domain);

    void addDomain(Domain domain);

    void removeDomain(Domain domain);

    List<String> users();

    boolean userExists(Username username);

    void addUser(Username username, String password);

    void changePassword(Username username, String password);

    void removeUser(Username username);

    /** Every alias, as (alias, target) pairs. */
    List<Map.Entry<String, String>> aliases();

    /** The aliases that deliver to {@code target}. */
    List<String> aliasesOf(MailAddress target);

    void addAlias(MailAddress alias, MailAddress target);

    void removeAlias(MailAddress alias, MailAddress target);

    /** Every catch-all, as (domain, target) pairs. */
    List<Map.Entry<String, String>> catchAlls();

    /** Delivers mail for the addresses of {@code domain} that are no account to {@code target}. */
    void addCatchAll(Domain domain, MailAddress target);

    void removeCatchAll(Domain domain, MailAddress target);
}
