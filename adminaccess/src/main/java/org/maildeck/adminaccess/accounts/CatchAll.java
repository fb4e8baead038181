package org.maildeck.adminaccess.accounts;

import org.apache.james.core.Domain;

/**
 * How a catch-all is written where an alias address is expected: {@code @domain}, as in
 * Postfix's virtual_alias_maps. In the rewrite table it is the domain's wildcard source
 * {@code *@domain}.
 */
public final class CatchAll {

    private CatchAll() {
    }

    /** Whether the alias typed is a catch-all ({@code @domain}), to be checked as such. */
    public static boolean written(String alias) {
        return alias.startsWith("@");
    }

    /** The domain of {@code @domain}; anything else after the {@code @} is a usage error. */
    public static Domain domain(String alias) {
        if (!written(alias)) {
            throw AccountRefused.usage("malformed catch-all '%s' (write it @domain)", AddressSyntax.printable(alias));
        }
        String domain = alias.substring(1);
        if (domain.indexOf('@') >= 0) {
            throw AccountRefused.usage("malformed catch-all '%s' (write it @domain)", AddressSyntax.printable(alias));
        }
        return AddressSyntax.domain(domain);
    }

    /** The catch-all of {@code domain} as written: {@code @domain}. */
    public static String of(Domain domain) {
        return "@" + domain.asString();
    }
}
