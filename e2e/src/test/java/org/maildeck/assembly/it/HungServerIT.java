package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server process that runs but answers nothing is reported as such, never waited for without end. */
class HungServerIT {

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void statusOfAServerThatDoesNotAnswerSaysSoAndExits1WithinHalfAMinute() throws Exception {
        // stops the fork's shared server for a while, and lets it go on (TestServer)
        MaildeckInstance server = maildeck.instance();
        long pid = server.pid();
        // SIGSTOP: the kernel still accepts connections on its ports, nothing answers them
        signal("-STOP", pid);
        try {
            long start = System.nanoTime();
            MaildeckInstance.Result status = server.maildeck("status");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(status.exitCode()).as("status: %s", status).isEqualTo(1);
            assertThat(status.stdout()).as("status: %s", status)
                .startsWith("maildeck: not answering (pid " + pid + "): ")
                .contains("did not answer GET /healthcheck within 20 s");
            assertThat(took).isLessThan(Duration.ofSeconds(30));
        } finally {
            signal("-CONT", pid);
        }
    }

    /**
     * Under systemd with a watchdog (NOTIFY_SOCKET, WATCHDOG_USEC = 6 s: a probe every 3 s, each
     * given 1.5 s; a shorter period than a unit would set, so that the test waits less): the
     * server says READY=1, then WATCHDOG=1 while its SMTP service answers; with its SMTP listener
     * stopped (over JMX) the process runs on, but status says it takes no mail and systemd is
     * no longer told it is alive; with the listener back, it is again.
     */
    @Test
    void theSystemdWatchdogIsFedOnlyWhileTheSmtpServiceAnswers() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create();
             NotifySocket systemd = NotifySocket.bind(server.home())) {
            ProcessBuilder start = server.launcher("start");
            start.environment().put("NOTIFY_SOCKET", systemd.path().toString());
            start.environment().put("WATCHDOG_USEC", "6000000");
            assertThat(start.redirectErrorStream(true).redirectOutput(server.home().resolve("start.out").toFile())
                .start().waitFor()).as("start").isZero();

            systemd.await("READY=1", 1, Duration.ofSeconds(30));
            systemd.await("WATCHDOG=1", 2, Duration.ofSeconds(30));
            MaildeckInstance.Result healthy = server.maildeck("status");
            assertThat(healthy.exitCode()).as("status: %s", healthy).isZero();
            assertThat(healthy.stdout()).containsPattern("(?m)^  SMTP service +healthy$");

            smtpListener(server, "stop");
            MaildeckInstance.Result stopped = server.maildeck("status");
            assertThat(stopped.exitCode()).as("status: %s", stopped).isEqualTo(1);
            assertThat(stopped.stdout()).startsWith("maildeck: not answering (pid " + server.pid() + "): SMTP service: SMTP listener on port "
                + server.port("smtp") + " is not listening\n");
            server.awaitLog("systemd watchdog: SMTP service not answering", Duration.ofSeconds(30));
            long fed = systemd.count("WATCHDOG=1");
            Thread.sleep(7_000);
            assertThat(systemd.count("WATCHDOG=1")).as("WATCHDOG=1 after two probes of a stopped listener").isEqualTo(fed);

            smtpListener(server, "start");
            systemd.await("WATCHDOG=1", fed + 1, Duration.ofSeconds(30));
            server.awaitLog("systemd watchdog: the SMTP service answers again", Duration.ofSeconds(10));
        }
    }

    private static void smtpListener(MaildeckInstance server, String operation) throws Exception {
        try (JMXConnector jmx = MaildeckJmx.connectAsAdmin(server)) {
            Object done = jmx.getMBeanServerConnection().invoke(new ObjectName("org.apache.james:name=smtpserver,type=server"),
                operation, new Object[0], new String[0]);
            assertThat(done).as("smtpserver %s", operation).isEqualTo(true);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor()).as("kill %s", signal).isZero();
    }
}
