package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Address forms that trick naive relay checks into forwarding mail, each sent by an
 * unauthenticated client outside the trusted networks (127.0.0.2): every one must be refused,
 * and the same forms pointing at a local user must still be delivered.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RelayTricksIT {

    private static final String DOMAIN = "tricks.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static MaildeckInstance server;

    @BeforeAll
    static void addTheLocalUser() {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, "Tricks-Pa55");
    }

    static Stream<Arguments> relayTricks() {
        return Stream.of(
            Arguments.of("plain remote address", "bob@remote.example", 554),
            Arguments.of("percent hack", "user%remote.example@" + DOMAIN, 554),
            Arguments.of("quoted address in the local part", "\"user@remote.example\"@" + DOMAIN, 554),
            Arguments.of("escaped at sign in the local part", "user\\@remote.example@" + DOMAIN, 554),
            Arguments.of("bang path at a local domain", "remote.example!user@" + DOMAIN, 554),
            Arguments.of("unqualified bang path", "remote.example!user", 504),
            Arguments.of("source route to a remote address", "@a.example,@b.example:user@remote.example", 554),
            Arguments.of("source route through the local domain", "@" + DOMAIN + ":user@remote.example", 554),
            Arguments.of("two at signs", "user@remote.example@" + DOMAIN, 553),
            Arguments.of("IPv4 address literal", "user@[192.0.2.1]", 554),
            Arguments.of("literal of the server's own address", "user@[127.0.0.1]", 554),
            Arguments.of("IPv6 address literal", "user@[IPv6:2001:db8::1]", 553),
            Arguments.of("trailing dot", "bob@remote.example.", 554),
            Arguments.of("upper case domain", "BOB@REMOTE.EXAMPLE", 554),
            Arguments.of("mixed case and trailing dot", "bob@Remote.Example.", 554),
            Arguments.of("international domain in UTF-8 (no SMTPUTF8)", utf8OnTheWire("user@bücher.example"), 553),
            Arguments.of("international domain in ASCII form", "user@xn--bcher-kva.example", 554),
            Arguments.of("unqualified name", "bob", 504));
    }

    @ParameterizedTest(name = "{0}: RCPT TO:<{1}> gets {2}")
    @MethodSource("relayTricks")
    void aRelayTrickFromAnOutsiderIsRefused(String trick, String recipient, int expectedCode) throws Exception {
        try (SmtpClient smtp = outsider()) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + recipient + ">");

            assertThat(reply.code()).as("%s: %s", trick, reply).isEqualTo(expectedCode);
            if (expectedCode == 554) {
                assertThat(reply.last()).startsWith("554 5.7.1 <").endsWith(">: Relay access denied");
            }
            assertThat(smtp.command("NOOP").code()).as("the session goes on").isEqualTo(250);
        }
    }

    static Stream<Arguments> localForms() {
        return Stream.of(
            Arguments.of("trailing dot", USER + "."),
            Arguments.of("upper case", USER.toUpperCase()),
            Arguments.of("source route", "@a.example,@b.example:" + USER));
    }

    @ParameterizedTest(name = "{0}: RCPT TO:<{1}> is accepted")
    @MethodSource("localForms")
    void theSameFormsForALocalUserAreAccepted(String form, String recipient) throws Exception {
        try (SmtpClient smtp = outsider()) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + recipient + ">");

            assertThat(reply.code()).as("%s: %s", form, reply).isEqualTo(250);
            assertThat(reply.last()).containsIgnoringCase(USER);
        }
    }

    @Test
    void thePostmasterMayBeWrittenWithoutDomain() throws Exception {
        try (SmtpClient smtp = outsider()) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<Postmaster>");

            assertThat(reply.code()).as("not refused as unqualified: %s", reply).isNotEqualTo(504);
        }
    }

    private static SmtpClient outsider() throws Exception {
        return SmtpClient.outsiderTransaction(server.port("smtp"), "eve@elsewhere.example");
    }

    private static String utf8OnTheWire(String text) {
        return new String(text.getBytes(UTF_8), ISO_8859_1);
    }
}
