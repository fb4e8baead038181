package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MailAddress;
import org.junit.jupiter.api.Test;

class RecipientDelimiterTest {

    @Test
    void theExtensionAfterThePlusIsCutOff() throws Exception {
        assertThat(new RecipientDelimiter("+").base(new MailAddress("alice+lists@example.com")))
            .contains(new MailAddress("alice@example.com"));
    }

    @Test
    void theFirstDelimiterCutsWhenSeveralFollow() throws Exception {
        assertThat(new RecipientDelimiter("+").base(new MailAddress("alice+a+b@example.com")))
            .contains(new MailAddress("alice@example.com"));
    }

    @Test
    void eachCharacterOfTheSettingIsADelimiter() throws Exception {
        assertThat(new RecipientDelimiter("+-").base(new MailAddress("alice-lists@example.com")))
            .contains(new MailAddress("alice@example.com"));
    }

    @Test
    void anAddressWithoutDelimiterHasNoBase() throws Exception {
        assertThat(new RecipientDelimiter("+").base(new MailAddress("alice@example.com"))).isEmpty();
    }

    @Test
    void aLocalPartStartingWithTheDelimiterHasNoBase() throws Exception {
        assertThat(new RecipientDelimiter("+").base(new MailAddress("+lists@example.com"))).isEmpty();
    }

    @Test
    void anEmptySettingTurnsSubaddressingOff() throws Exception {
        assertThat(new RecipientDelimiter("").base(new MailAddress("alice+lists@example.com"))).isEmpty();
    }
}
