package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.maildeck.mailauth.DmarcRecord.Policy;

class DmarcRecordTest {

    @Test
    void theTagsOfAFullRecordAreRead() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=s; pct=30; rua=mailto:d@example.org"))
            .contains(new DmarcRecord(Policy.REJECT, Optional.of(Policy.QUARANTINE), true, true, 30, true));
    }

    @Test
    void invalidOptionalValuesFallBackToTheirDefaults() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=quarantine; adkim=x; aspf=; pct=200"))
            .contains(new DmarcRecord(Policy.QUARANTINE, Optional.empty(), false, false, 100, false));
    }

    @Test
    void aRecordWithoutValidPolicyIsUnusable() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus")).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC1; adkim=s")).isEmpty();
    }

    @Test
    void aRecordWithoutValidPolicyButAskingForReportsIsPNone() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus; rua=mailto:d@example.org")).map(DmarcRecord::policy).contains(Policy.NONE);
    }

    @Test
    void anInvalidSubdomainPolicyMakesTheRecordUnusable() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=reject; sp=maybe")).isEmpty();
    }

    @Test
    void onlyARecordWhoseFirstTagIsTheVersionIsDmarc() {
        assertThat(DmarcRecord.isDmarc("v=DMARC1; p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=DMARC1")).isTrue();
        assertThat(DmarcRecord.isDmarc("p=none; v=DMARC1")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=spf1 -all")).isFalse();
        assertThat(DmarcRecord.isDmarc("v=DMARC10; p=none")).isFalse();
    }

    @Test
    void theSubdomainPolicyAppliesOnlyBelowTheRecordsDomain() {
        DmarcRecord record = DmarcRecord.parse("v=DMARC1; p=none; sp=reject").orElseThrow();

        assertThat(record.policyFor("example.org", "example.org")).isEqualTo(Policy.NONE);
        assertThat(record.policyFor("news.example.org", "example.org")).isEqualTo(Policy.REJECT);
    }

    @Test
    void theOrganizationalDomainIsTheNameUnderThePublicSuffix() {
        assertThat(OrganizationalDomain.of("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("a.b.example.com")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("example.com")).isEqualTo("example.com");
        // no listed suffix: the implicit rule "*" of RFC 7489 3.2
        assertThat(OrganizationalDomain.of("host.lab.test")).isEqualTo("lab.test");
    }
}
