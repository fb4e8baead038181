package org.maildeck.mailets.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecipientPathTest {

    @Test
    void aSourceRouteIsDropped() {
        assertThat(RecipientPath.normalise("@a.example,@b.example:user@c.example")).isEqualTo("user@c.example");
    }

    @Test
    void aTrailingDotEndsTheDomain() {
        assertThat(RecipientPath.normalise("user@example.com.")).isEqualTo("user@example.com");
    }

    @Test
    void twoTrailingDotsAreLeftForTheSyntaxCheckToRefuse() {
        assertThat(RecipientPath.normalise("user@example.com..")).isEqualTo("user@example.com..");
    }

    @Test
    void anAddressLiteralIsLeftAlone() {
        assertThat(RecipientPath.normalise("user@[192.0.2.1]")).isEqualTo("user@[192.0.2.1]");
    }

    @Test
    void aPlainAddressIsUnchanged() {
        assertThat(RecipientPath.normalise("User@Example.COM")).isEqualTo("User@Example.COM");
    }

    @Test
    void theLocalPartIsNeverRewritten() {
        assertThat(RecipientPath.normalise("user%other.example@local.example")).isEqualTo("user%other.example@local.example");
    }

    @Test
    void onlyThePostmasterMayGoUnqualified() {
        assertThat(RecipientPath.isUnqualified("bob")).isTrue();
        assertThat(RecipientPath.isUnqualified("other.example!bob")).isTrue();
        assertThat(RecipientPath.isUnqualified("Postmaster")).isFalse();
        assertThat(RecipientPath.isUnqualified("bob@example.com")).isFalse();
    }
}
