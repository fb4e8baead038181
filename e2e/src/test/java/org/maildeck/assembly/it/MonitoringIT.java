package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/** Maildeck's own MBeans ({@code org.maildeck:*}) count what the server did, read with a real JMX client. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MonitoringIT {

    private static final String DOMAIN = "monitoring.maildeck.test";
    private static final String USER = "mona@" + DOMAIN;
    private static final String PASSWORD = "Monitor-Pa55word";
    private static final String AUTH = "org.maildeck:type=SmtpAuth";
    private static final String RELAY = "org.maildeck:type=Relay";
    /** Counts of the last minute: positive right after the event, whatever else the minute held. */
    private static final String LAST_MINUTE = "org.maildeck:type=LastMinute";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @BeforeAll
    static void onTheSharedServer() {
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, PASSWORD);
    }

    @Test
    void aRelayAttemptFromOutsideRaisesRelayDeniedTotalByOne() throws Exception {
        long before = MaildeckJmx.attribute(maildeck.instance(), RELAY, "RelayDeniedTotal");

        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", maildeck.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.command("MAIL FROM:<someone@elsewhere.example>"), 250);
            SmtpClient.expect(smtp.command("RCPT TO:<victim@faraway.example>"), 554);
        }

        assertThat(MaildeckJmx.attribute(maildeck.instance(), RELAY, "RelayDeniedTotal")).isEqualTo(before + 1);
        assertThat(MaildeckJmx.attribute(maildeck.instance(), LAST_MINUTE, "RelayDenials")).isPositive();
    }

    @Test
    void aWrongPasswordRaisesFailuresTotalAndALoginSuccessesTotalByOneEach() throws Exception {
        long failures = MaildeckJmx.attribute(maildeck.instance(), AUTH, "FailuresTotal");
        long successes = MaildeckJmx.attribute(maildeck.instance(), AUTH, "SuccessesTotal");

        Swaks.Run refused = Swaks.to(maildeck.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", USER, PASSWORD + "-wrong").quitAfter("AUTH").run();
        Swaks.Run accepted = Swaks.to(maildeck.port("submission")).from("127.0.0.2").startTls()
            .auth("PLAIN", USER, PASSWORD).quitAfter("AUTH").run();

        assertThat(refused.transcript()).contains("535 5.7.8");
        assertThat(accepted.transcript()).contains("235 ");
        assertThat(MaildeckJmx.attribute(maildeck.instance(), AUTH, "FailuresTotal")).isEqualTo(failures + 1);
        assertThat(MaildeckJmx.attribute(maildeck.instance(), AUTH, "SuccessesTotal")).isEqualTo(successes + 1);
        assertThat(MaildeckJmx.attribute(maildeck.instance(), LAST_MINUTE, "AuthFailures")).isPositive();
    }

    @Test
    void theFifthWrongPasswordFromOneAddressRaisesLockoutsTotalAndLockedOutClientsByOne() throws Exception {
        long lockouts = MaildeckJmx.attribute(maildeck.instance(), AUTH, "LockoutsTotal");
        long lockedOut = MaildeckJmx.attribute(maildeck.instance(), AUTH, "LockedOutClients");

        // auththrottle.properties: maxFailures=5 within lockout (the defaults)
        for (int attempt = 0; attempt < 5; attempt++) {
            Swaks.to(maildeck.port("submission")).from("127.0.0.3").startTls().auth("PLAIN", USER, "wrong-" + attempt).quitAfter("AUTH").run();
        }

        assertThat(MaildeckJmx.attribute(maildeck.instance(), AUTH, "LockoutsTotal")).isEqualTo(lockouts + 1);
        assertThat(MaildeckJmx.attribute(maildeck.instance(), AUTH, "LockedOutClients")).isEqualTo(lockedOut + 1);
    }
}
