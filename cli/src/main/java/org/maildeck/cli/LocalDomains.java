package org.maildeck.cli;

import org.apache.james.core.Domain;

/** The check, shared by users and aliases, that an address belongs to a domain served here. */
final class LocalDomains {

    private LocalDomains() {
    }

    static void require(WebAdminClient webAdmin, Domain domain) {
        if (!webAdmin.domainExists(domain)) {
            throw AdminFailure.refused("unknown domain '%s' (add it with: maildeck domain add %s)", domain.asString(), domain.asString());
        }
    }
}
