package org.maildeck.mailets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DeliveryFailureTest {

    @Test
    void anSmtpReplyGivesItsEnhancedCodeAsStatusAndIsTheSmtpDiagnostic() {
        DeliveryFailure failure = DeliveryFailure.from("550 5.1.1 <bob@remote.example>: Recipient address rejected: User unknown\r\n", "5.0.0");

        assertThat(failure.status()).isEqualTo("5.1.1");
        assertThat(failure.diagnosticCode()).contains("smtp; 550 5.1.1 <bob@remote.example>: Recipient address rejected: User unknown");
    }

    @Test
    void anSmtpReplyWithoutEnhancedCodeGivesTheStatusOfItsClass() {
        assertThat(DeliveryFailure.from("550 no such user", "5.0.0").status()).isEqualTo("5.0.0");
        assertThat(DeliveryFailure.from("421 closing", "5.0.0").status()).isEqualTo("4.0.0");
    }

    @Test
    void aMultiLineReplyIsOneLine() {
        DeliveryFailure failure = DeliveryFailure.from("550-5.1.1 first\r\n550 5.1.1 second", "5.0.0");

        assertThat(failure.status()).isEqualTo("5.1.1");
        assertThat(failure.diagnosticCode()).contains("smtp; 550-5.1.1 first 550 5.1.1 second");
    }

    @Test
    void theServersOwnReasonWithAStatusIsAnXMaildeckDiagnostic() {
        DeliveryFailure failure = DeliveryFailure.from("4.4.1 connect to mx.remote.example[192.0.2.1]:25: Connection refused", "5.0.0");

        assertThat(failure.status()).isEqualTo("4.4.1");
        assertThat(failure.diagnosticCode()).contains("X-Maildeck; connect to mx.remote.example[192.0.2.1]:25: Connection refused");
    }

    @Test
    void anyOtherTextGetsTheFallbackStatus() {
        DeliveryFailure failure = DeliveryFailure.from("Too many retries failure. Bouncing after 3 retries.", "5.4.7");

        assertThat(failure.status()).isEqualTo("5.4.7");
        assertThat(failure.diagnosticCode()).contains("X-Maildeck; Too many retries failure. Bouncing after 3 retries.");
        assertThat(DeliveryFailure.from("", "5.0.0").diagnosticCode()).isEmpty();
        assertThat(DeliveryFailure.from("5.2.2", "5.0.0")).isEqualTo(new DeliveryFailure("5.2.2", Optional.empty()));
    }

    @Test
    void aReplyCannotStartAFieldOfItsOwnNorCarry8BitBytes() {
        DeliveryFailure failure = DeliveryFailure.from("550 5.1.1 gone\r\nStatus: 2.0.0\r\nX-Evil: bücher", "5.0.0");

        assertThat(failure.diagnosticCode().orElseThrow()).doesNotContain("\r", "\n").endsWith("X-Evil: b?cher");
    }

    @Test
    void survivesTheRoundTripThroughTheMailAttribute() {
        DeliveryFailure failure = DeliveryFailure.from("550 5.1.1 <bob@remote.example>: unknown", "5.0.0");

        assertThat(DeliveryFailure.decode(failure.encoded())).isEqualTo(failure);
        assertThat(DeliveryFailure.decode(new DeliveryFailure("5.2.2", Optional.empty()).encoded()))
            .isEqualTo(new DeliveryFailure("5.2.2", Optional.empty()));
    }
}
