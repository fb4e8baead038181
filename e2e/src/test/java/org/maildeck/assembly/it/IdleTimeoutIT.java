package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idle timeout of SMTP ({@code connectiontimeout}, postfix smtpd_timeout) and POP3 is the one
 * configured, not twice it (James 3.8.1 closed SMTP connections after 600 s for 300), and the
 * client hears why before the close, as from postfix and dovecot. Configured here: 4 s.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IdleTimeoutIT {

    private static final int TIMEOUT_SECONDS = 4;
    /** The close may come a little late on a busy machine, never near twice the timeout. */
    private static final Duration LATEST = Duration.ofMillis(TIMEOUT_SECONDS * 1000 * 7 / 4);

    /** Of its own: idle timeouts of a few seconds, a configuration no other class asks for. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> switch (fileName) {
        case "smtpserver.xml" -> content.replaceAll("<connectiontimeout>\\d+</connectiontimeout>", "<connectiontimeout>" + TIMEOUT_SECONDS + "</connectiontimeout>");
        case "pop3server.xml" -> content.replaceAll("<connectiontimeout>\\d+</connectiontimeout>", "<connectiontimeout>" + TIMEOUT_SECONDS + "</connectiontimeout>");
        default -> content;
    });
    private static MaildeckInstance server;

    @BeforeAll
    static void onItsServer() {
        server = maildeck.instance();
    }

    @Test
    void anIdleSmtpConnectionIsClosedAfterTheConfiguredTimeoutWithA421() throws Exception {
        assertClosedAfterTheTimeout("127.0.0.51", "smtp", "220 ", "421 4\\.4\\.2 \\S+ Error: timeout exceeded");
        server.awaitMailLog(Pattern.compile("timeout from \\[127\\.0\\.0\\.51\\] to 127\\.0\\.0\\.1:\\d+ \\(no command for "
            + TIMEOUT_SECONDS + " s\\); connection closed"), Duration.ofSeconds(30));
    }

    @Test
    void anIdlePop3ConnectionIsClosedAfterTheConfiguredTimeoutWithAnErr() throws Exception {
        assertClosedAfterTheTimeout("127.0.0.52", "pop3", "+OK", Pattern.quote("-ERR Disconnected for inactivity."));
    }

    /** Connects from {@code from}, reads the greeting, says nothing and times how long until the last line. */
    private static void assertClosedAfterTheTimeout(String from, String listener, String greeting, String lastLine) throws Exception {
        try (Socket socket = ConnectionLimitIT.connect(from, server.port(listener))) {
            assertThat(ConnectionLimitIT.firstLine(socket)).startsWith(greeting);
            long idleFrom = System.nanoTime();

            String last = ConnectionLimitIT.firstLine(socket);
            Duration idle = Duration.ofNanos(System.nanoTime() - idleFrom);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(idle).as("idle until the server spoke or closed (timeout %d s)", TIMEOUT_SECONDS)
                .isGreaterThan(Duration.ofMillis(TIMEOUT_SECONDS * 1000 - 500)).isLessThan(LATEST);
            softly.assertThat(last).as("the last line").matches(lastLine);
            softly.assertThat(ConnectionLimitIT.firstLine(socket)).as("then the close").isEmpty();
            softly.assertAll();
        }
    }

    @Test
    void aConnectionThatKeepsTalkingIsNotClosed() throws Exception {
        try (Socket smtp = ConnectionLimitIT.connect("127.0.0.53", server.port("smtp"))) {
            assertThat(ConnectionLimitIT.firstLine(smtp)).startsWith("220 ");
            long end = System.nanoTime() + Duration.ofSeconds(2L * TIMEOUT_SECONDS).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(TIMEOUT_SECONDS * 1000 / 2);
                ConnectionLimitIT.send(smtp, "NOOP");
                assertThat(ConnectionLimitIT.firstLine(smtp)).as("reply to NOOP").startsWith("250");
            }
        }
    }
}
