package org.maildeck.console;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.AddressSyntax;

/** What an admin may see and change: a domain admin its domains only, checked before anything else is looked at. */
final class Scope {

    private Scope() {
    }

    static void require(ConsoleAdmin admin, Domain domain) {
        if (!admin.manages(domain)) {
            throw new Page.Forbidden("domain '" + domain.asString() + "' is not one of yours");
        }
    }

    /** Whether the address (as stored, so well-formed) is in a domain {@code admin} manages. */
    static boolean manages(ConsoleAdmin admin, String address) {
        try {
            MailAddress parsed = AddressSyntax.address(address);
            return admin.manages(parsed.getDomain());
        } catch (AccountRefused e) {
            return admin.superAdmin();
        }
    }
}
