package org.maildeck.mailets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * Where mail for the postmaster goes. RFC 5321 4.5.1: every domain this server takes mail for
 * accepts {@code postmaster@} it, and the bare {@code postmaster}, in any case, whether or not
 * a user or alias of that name exists. Postfix sends it to the {@code postmaster} alias of
 * {@code /etc/aliases}, usually {@code root}, which the admin points at a person.
 * <p>
 * Here, {@code postmaster@<domain>} that is a user or has an alias (or forward, catch-all)
 * gets its mail as addressed. Any other goes to the first of these that can receive mail:
 * <ol>
 *   <li>the postmaster of mailetcontainer.xml ({@code <context><postmaster>}, shipped as
 *       {@code postmaster@localhost}, the default domain's), an address of another server
 *       included;</li>
 *   <li>{@code root@<default domain>}, as Postfix's {@code postmaster: root};</li>
 *   <li>{@code postmaster@} the default domain, then the other local domains in alphabetical
 *       order: the first admin alias, e.g. after {@code maildeck alias add postmaster@example.org
 *       alice@example.org} mail for {@code postmaster@example.net} goes to alice too.</li>
 * </ol>
 * None: the mail is undeliverable, which the server says at start-up.
 */
public class PostmasterAddress {

    public static final String LOCAL_PART = "postmaster";

    private final DomainList domains;
    private final UsersRepository users;
    private final RecipientRewriteTable aliases;

    @Inject
    public PostmasterAddress(DomainList domains, UsersRepository users, RecipientRewriteTable aliases) {
        this.domains = domains;
        this.users = users;
        this.aliases = aliases;
    }

    /** {@code postmaster@} a local domain, in any case. */
    public boolean isPostmaster(MailAddress address) throws DomainListException {
        return address.getLocalPart().toLowerCase(Locale.ROOT).equals(LOCAL_PART) && domains.containsDomain(address.getDomain());
    }

    /** A user, or an address the alias table rewrites (alias, forward, catch-all, error mapping): mail for it is delivered as addressed. */
    public boolean isKnown(MailAddress address) throws UsersRepositoryException, RecipientRewriteTableException {
        if (users.contains(users.getUsername(address))) {
            return true;
        }
        try {
            return !aliases.getResolvedMappings(address.getLocalPart(), address.getDomain()).isEmpty();
        } catch (RecipientRewriteTable.ErrorMappingException e) {
            return true;
        }
    }

    /** Where postmaster mail without a user or alias of its own goes, given mailetcontainer.xml's postmaster; none if nowhere. */
    public Optional<MailAddress> target(MailAddress configured)
            throws DomainListException, UsersRepositoryException, RecipientRewriteTableException {
        for (MailAddress candidate : candidates(configured)) {
            if (!domains.containsDomain(candidate.getDomain()) || isKnown(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private List<MailAddress> candidates(MailAddress configured) throws DomainListException {
        List<MailAddress> candidates = new ArrayList<>();
        candidates.add(configured);
        Domain defaultDomain = domains.getDefaultDomain();
        candidates.add(address("root", defaultDomain));
        candidates.add(address(LOCAL_PART, defaultDomain));
        domains.getDomains().stream()
            .filter(domain -> !domain.equals(defaultDomain))
            .sorted(Comparator.comparing(Domain::asString))
            .forEach(domain -> candidates.add(address(LOCAL_PART, domain)));
        return candidates;
    }

    private static MailAddress address(String localPart, Domain domain) {
        try {
            return new MailAddress(localPart, domain);
        } catch (AddressException e) {
            throw new IllegalArgumentException("not an address: " + localPart + "@" + domain.asString(), e);
        }
    }
}
