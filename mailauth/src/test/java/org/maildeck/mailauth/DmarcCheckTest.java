package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.dnsservice.api.DNSService;
import org.junit.jupiter.api.Test;
import org.maildeck.mailauth.DmarcRecord.Policy;

class DmarcCheckTest {

    private final Map<String, List<String>> txt = new HashMap<>();
    /** Answers TXT queries from {@link #txt}; nothing else is asked. */
    private final DNSService dns = (DNSService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DNSService.class},
        (proxy, method, args) -> txt.getOrDefault((String) args[0], List.of()));
    private int percentile = 0;
    private final DmarcCheck check = new DmarcCheck(new DmarcDiscovery(dns, 1024), () -> percentile);

    private static DkimResult dkim(String result, String domain) {
        return new DkimResult(result, Optional.of(domain), Optional.of("sel"), Optional.empty(), Optional.empty());
    }

    private static Optional<SpfResult> spf(String result, String sender) {
        return Optional.of(new SpfResult(result, sender, false, ""));
    }

    private DmarcResult evaluate(String from, Optional<SpfResult> spf, DkimResult... dkim) {
        return check.evaluate(List.of(from), spf, List.of(dkim));
    }

    @Test
    void aDkimPassOfASubdomainAlignsInRelaxedMode() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject"));

        assertThat(evaluate("example.org", Optional.empty(), dkim("pass", "mail.example.org")).result()).isEqualTo("pass");
    }

    @Test
    void aDkimPassOfASubdomainFailsInStrictMode() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject; adkim=s"));

        DmarcResult result = evaluate("example.org", Optional.empty(), dkim("pass", "mail.example.org"));

        assertThat(result.resinfo()).isEqualTo("dmarc=fail (p=reject dis=reject) header.from=example.org");
    }

    @Test
    void aFailedSignatureDoesNotAlign() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=quarantine"));

        assertThat(evaluate("example.org", spf("pass", "b@other.example"), dkim("fail", "example.org")).disposition())
            .isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void anAlignedSpfTemperrorIsTemperrorNotFail() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject"));

        DmarcResult result = evaluate("example.org", spf("temperror", "b@example.org"));

        assertThat(result.result()).isEqualTo("temperror");
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
    }

    @Test
    void failingMailOutsidePctGetsTheNextWeakerPolicy() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject; pct=20"));
        percentile = 20;

        assertThat(evaluate("example.org", Optional.empty()).disposition()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void theOrganizationsRecordIsUsedWhenTheAuthorDomainHasNone() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=none; sp=quarantine"));

        assertThat(evaluate("news.example.org", Optional.empty()).resinfo())
            .isEqualTo("dmarc=fail (p=quarantine dis=quarantine) header.from=news.example.org");
    }

    @Test
    void twoDmarcRecordsMeanNoPolicy() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject", "v=DMARC1; p=none"));

        assertThat(evaluate("example.org", Optional.empty()).result()).isEqualTo("none");
    }

    @Test
    void otherTxtRecordsAtTheNameAreIgnored() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject", "google-site-verification=abc"));

        assertThat(evaluate("example.org", Optional.empty()).disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void anOversizedRecordIsPermerror() {
        txt.put("_dmarc.example.org", List.of("v=DMARC1; p=reject; x=" + "a".repeat(1100)));

        assertThat(evaluate("example.org", Optional.empty()).result()).isEqualTo("permerror");
    }

    @Test
    void theStrictestFailingPolicyAmongSeveralAuthorDomainsApplies() {
        txt.put("_dmarc.lax.example", List.of("v=DMARC1; p=none"));
        txt.put("_dmarc.strict.example", List.of("v=DMARC1; p=reject"));

        DmarcResult result = check.evaluate(List.of("lax.example", "strict.example"), Optional.empty(), List.of());

        assertThat(result.fromDomain()).contains("strict.example");
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void noAuthorDomainIsPermerror() {
        assertThat(check.evaluate(List.of(), Optional.empty(), List.of()).resinfo()).startsWith("dmarc=permerror");
    }
}
