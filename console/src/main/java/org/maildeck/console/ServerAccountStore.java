package org.maildeck.console;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AccountStore;

/**
 * The server's own domain list, users repository and rewrite table as the account rules
 * ({@link org.maildeck.adminaccess.accounts.Accounts}) see them: the same calls WebAdmin's
 * routes make for the admin commands, without the HTTP between. A refusal of the repositories
 * becomes an {@link AccountRefused} with their reason.
 */
public class ServerAccountStore implements AccountStore {

    private final DomainList domainList;
    private final UsersRepository users;
    private final RecipientRewriteTable rewriteTable;

    @Inject
    public ServerAccountStore(DomainList domainList, UsersRepository users, RecipientRewriteTable rewriteTable) {
        this.domainList = domainList;
        this.users = users;
        this.rewriteTable = rewriteTable;
    }

    @Override
    public List<String> domains() {
        try {
            return domainList.getDomains().stream().map(Domain::asString).toList();
        } catch (DomainListException e) {
            throw refused(e);
        }
    }

    @Override
    public boolean domainExists(Domain domain) {
        try {
            return domainList.containsDomain(domain);
        } catch (DomainListException e) {
            throw refused(e);
        }
    }

    @Override
    public void addDomain(Domain domain) {
        try {
            domainList.addDomain(domain);
        } catch (DomainListException e) {
            throw refused(e);
        }
    }

    @Override
    public void removeDomain(Domain domain) {
        try {
            domainList.removeDomain(domain);
        } catch (DomainListException e) {
            // as the admin command says it for WebAdmin's 400
            throw AccountRefused.refused("domain '%s' cannot be removed: it is the default or an auto-detected domain (see domainlist.xml)", domain.asString());
        }
    }

    @Override
    public List<String> users() {
        try {
            List<String> names = new ArrayList<>();
            for (Iterator<Username> it = users.list(); it.hasNext(); ) {
                names.add(it.next().asString());
            }
            return names;
        } catch (UsersRepositoryException e) {
            throw refused(e);
        }
    }

    @Override
    public boolean userExists(Username username) {
        try {
            return users.contains(username);
        } catch (UsersRepositoryException e) {
            throw refused(e);
        }
    }

    @Override
    public void addUser(Username username, String password) {
        try {
            users.addUser(username, password);
        } catch (UsersRepositoryException e) {
            throw refused(e);
        }
    }

    @Override
    public void changePassword(Username username, String password) {
        try {
            User user = users.getUserByName(username);
            if (user == null) {
                throw AccountRefused.refused("no such user '%s'", username.asString());
            }
            user.setPassword(password);
            users.updateUser(user);
        } catch (UsersRepositoryException e) {
            throw refused(e);
        }
    }

    @Override
    public void removeUser(Username username) {
        try {
            users.removeUser(username);
        } catch (UsersRepositoryException e) {
            throw refused(e);
        }
    }

    @Override
    public List<Map.Entry<String, String>> aliases() {
        try {
            List<Map.Entry<String, String>> aliases = new ArrayList<>();
            rewriteTable.getAllMappings().forEach((source, mappings) -> mappings.select(Mapping.Type.Alias).asStream()
                .flatMap(mapping -> mapping.asMailAddress().stream())
                .forEach(target -> aliases.add(Map.entry(source.asMailAddressString(), target.asString()))));
            return aliases;
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    @Override
    public List<String> aliasesOf(MailAddress target) {
        try {
            return rewriteTable.listSources(Mapping.alias(target.asString())).map(MappingSource::asMailAddressString).toList();
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    @Override
    public void addAlias(MailAddress alias, MailAddress target) {
        try {
            rewriteTable.addAliasMapping(MappingSource.fromUser(Username.fromMailAddress(alias)), target.asString());
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    @Override
    public void removeAlias(MailAddress alias, MailAddress target) {
        try {
            rewriteTable.removeAliasMapping(MappingSource.fromMailAddress(alias), target.asString());
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    /** The domains' wildcard sources ({@code *@domain}) and their Address mappings. */
    @Override
    public List<Map.Entry<String, String>> catchAlls() {
        try {
            List<Map.Entry<String, String>> catchAlls = new ArrayList<>();
            rewriteTable.getAllMappings().forEach((source, mappings) -> source.asDomain().ifPresent(domain ->
                mappings.select(Mapping.Type.Address).asStream()
                    .forEach(target -> catchAlls.add(Map.entry(domain.asString(), target.getMappingValue())))));
            return catchAlls;
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    @Override
    public void addCatchAll(Domain domain, MailAddress target) {
        try {
            rewriteTable.addAddressMapping(MappingSource.fromDomain(domain), target.asString());
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    @Override
    public void removeCatchAll(Domain domain, MailAddress target) {
        try {
            rewriteTable.removeAddressMapping(MappingSource.fromDomain(domain), target.asString());
        } catch (RecipientRewriteTableException e) {
            throw refused(e);
        }
    }

    private static AccountRefused refused(Exception e) {
        return AccountRefused.refused("%s", e.getMessage());
    }
}
