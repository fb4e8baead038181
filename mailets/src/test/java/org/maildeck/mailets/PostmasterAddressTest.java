package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostmasterAddressTest {

    private static final MailAddress CONFIGURED = address("postmaster@localhost");

    private MemoryUsersRepository users;
    private MemoryRecipientRewriteTable aliases;
    private PostmasterAddress postmaster;

    @BeforeEach
    void localDomains() throws Exception {
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).defaultDomain(Domain.LOCALHOST));
        domains.addDomain(Domain.of("b.example"));
        domains.addDomain(Domain.of("a.example"));
        users = MemoryUsersRepository.withVirtualHosting(domains);
        aliases = new MemoryRecipientRewriteTable();
        aliases.setDomainList(domains);
        aliases.setUsersRepository(users);
        aliases.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
        postmaster = new PostmasterAddress(domains, users, aliases);
    }

    @Test
    void nowhereWhenNothingCanReceiveIt() throws Exception {
        assertThat(postmaster.target(CONFIGURED)).isEmpty();
    }

    @Test
    void theConfiguredAddressWithAnAliasComesFirst() throws Exception {
        alias("postmaster@localhost", "alice@a.example");
        alias("root@localhost", "bob@a.example");

        assertThat(postmaster.target(CONFIGURED)).contains(CONFIGURED);
    }

    @Test
    void anotherServersAddressIsTakenAsConfigured() throws Exception {
        assertThat(postmaster.target(address("admin@elsewhere.example"))).contains(address("admin@elsewhere.example"));
    }

    @Test
    void rootOfTheDefaultDomainComesBeforeTheDomainsPostmasters() throws Exception {
        alias("root@localhost", "bob@a.example");
        alias("postmaster@a.example", "alice@a.example");

        assertThat(postmaster.target(CONFIGURED)).contains(address("root@localhost"));
    }

    @Test
    void thenTheFirstDomainInAlphabeticalOrderWithAPostmasterOfItsOwn() throws Exception {
        alias("postmaster@b.example", "bob@b.example");
        users.addUser(Username.of("postmaster@a.example"), "secret");

        assertThat(postmaster.target(CONFIGURED)).contains(address("postmaster@a.example"));
    }

    @Test
    void onlyLocalDomainsHaveTheirPostmasterTaken() throws Exception {
        assertThat(postmaster.isPostmaster(address("PostMaster@a.example"))).isTrue();
        assertThat(postmaster.isPostmaster(address("postmaster@elsewhere.example"))).isFalse();
        assertThat(postmaster.isPostmaster(address("webmaster@a.example"))).isFalse();
    }

    private void alias(String source, String target) throws Exception {
        aliases.addMapping(MappingSource.fromMailAddress(address(source)), Mapping.alias(target));
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
