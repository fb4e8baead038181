package org.maildeck.console;

import java.util.SortedSet;

import org.apache.james.core.Domain;

/**
 * An admin of the web console (not a mail user): the super-admin ({@code domains} empty) may
 * do everything, a domain admin sees and changes only the accounts and aliases of its domains.
 */
public record ConsoleAdmin(String name, SortedSet<Domain> domains) {

    public boolean superAdmin() {
        return domains.isEmpty();
    }

    public boolean manages(Domain domain) {
        return superAdmin() || domains.contains(domain);
    }
}
