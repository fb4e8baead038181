package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code bin/maildeck start | stop | status | run}: pid file, start-up log, clean stops, start-up failures. */
class ServerLifecycleIT {

    /** The fork's shared server, which the restart test restarts; the other tests look at servers of their own. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    /** A message of the server's own logger, {@code org.maildeck.server}, in the shipped log pattern. */
    private static final Pattern SERVER_MESSAGE = Pattern.compile("(?m)^\\S+ INFO  \\[[^\\]]+\\] org\\.maildeck\\.server - (.*)$");

    /** Started once, left running. */
    private static MaildeckInstance running;

    /** Started once, then stopped: what {@code stop} did is recorded for the tests. */
    private static MaildeckInstance stopped;
    private static long stoppedPid;
    private static MaildeckInstance.Result stopResult;
    private static boolean aliveWhenStopReturned;
    private static boolean pidFileWhenStopReturned;

    @BeforeAll
    static void startServers() {
        running = MaildeckInstance.create().start();

        stopped = MaildeckInstance.create().start();
        stoppedPid = stopped.pid();
        stopResult = stopped.stop();
        aliveWhenStopReturned = ProcessHandle.of(stoppedPid).map(ProcessHandle::isAlive).orElse(false);
        pidFileWhenStopReturned = Files.exists(stopped.data().resolve("maildeck.pid"));
    }

    @AfterAll
    static void stopServers() {
        for (MaildeckInstance instance : new MaildeckInstance[] {running, stopped}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void statusOfAnInstanceNeverStartedSaysNotRunningAndExits3() {
        try (MaildeckInstance fresh = MaildeckInstance.create()) {
            MaildeckInstance.Result status = fresh.maildeck("status");

            assertThat(status.exitCode()).as("status: %s", status).isEqualTo(3);
            assertThat(status.stdout()).isEqualTo("maildeck: not running\n");
        }
    }

    @Test
    void statusOfAStartedServerSaysRunningWithThePidOfThePidFile() {
        MaildeckInstance.Result status = running.maildeck("status");

        assertThat(status.exitCode()).as("status: %s", status).isZero();
        assertThat(status.stdout()).startsWith("maildeck: running (pid " + running.pid() + ")\n");
        assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void statusShowsEachListenerTheHealthOfTheComponentsAndTheQueueSizes() {
        MaildeckInstance.Result status = running.maildeck("status");

        assertThat(status.stdout())
            .containsPattern("(?m)^  smtpserver +127\\.0\\.0\\.1:" + running.port("smtp") + " +accepting$")
            .containsPattern("(?m)^  imapserver +127\\.0\\.0\\.1:" + running.port("imap") + " +accepting$")
            .containsPattern("(?m)^  managesieveserver +127\\.0\\.0\\.1:" + running.port("managesieve") + " +accepting$")
            .containsPattern("(?m)^  milter +127\\.0\\.0\\.1:" + running.port("milter") + " +accepting$")
            .containsPattern("(?m)^  console +127\\.0\\.0\\.1:" + running.port("console") + " +accepting$")
            .containsPattern("(?m)^health:\n(  .*\n)*  [^\\n]*Derby[^\\n]* +healthy")
            .containsPattern("(?m)^  spool +\\d+$")
            .containsPattern("(?m)^  outgoing +\\d+$")
            .containsPattern("(?m)^  hold +0$")
            .containsPattern("(?m)^  clamav +\\d+ verdicts, 0 failures \\(0 timeouts, 0 circuit open\\), latency median [0-9.]+ ms, p99 [0-9.]+ ms$");
    }

    @Test
    void statusCountsTheMessagesOfTheLastMinute() throws Exception {
        String user = "minute@lifecycle.maildeck.test";
        new WebAdmin(running).addDomain("lifecycle.maildeck.test").addUser(user, "Minute-Pa55word");
        try (SmtpClient smtp = SmtpClient.connect(running.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.example"), 250);
            SmtpClient.expect(smtp.send(user, List.of(user), "Subject: counted\r\n\r\ncounted\r\n".getBytes(UTF_8)), 250);
        }
        running.awaitLog("to=<" + user + ">, folder=INBOX", Duration.ofSeconds(60));

        MaildeckInstance.Result status = running.maildeck("status");

        // nothing else in this class sends mail to the running server
        assertThat(status.stdout()).as(status.toString()).contains("last minute:\n"
            + "  received 1, delivered 1, sent 0, scanned 1, viruses 0, spam killed 0, relay denied 0, auth failures 0\n");
    }

    @Test
    void secondStartSaysAlreadyRunningAndStartsNoSecondProcess() {
        long pid = running.pid();

        MaildeckInstance.Result again = running.maildeck("start");

        assertThat(again.exitCode()).as("second start: %s", again).isZero();
        assertThat(again.stdout()).isEqualTo("maildeck: already running (pid " + pid + ")\n");
        assertThat(running.pid()).isEqualTo(pid);
        assertThat(running.serverLog().split("starting Maildeck", -1)).as("start-ups in the log").hasSize(2);
        assertThat(ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(running.conf().toString()))
                .filter(process -> process.info().commandLine().orElse("").contains("MaildeckServerMain"))
                .map(ProcessHandle::pid))
            .as("server processes of this instance")
            .containsExactly(pid);
    }

    @Test
    void startupLogHasOneListenerLinePerSocketThenReady() {
        List<String> messages = serverMessages(running.serverLogOfLastStart());

        assertThat(messages).hasSize(16);
        assertThat(messages.get(0)).isEqualTo("starting Maildeck: conf=" + running.conf() + " data=" + running.data()
            + " mail=" + running.mailRoot());
        assertThat(messages.subList(1, 15)).containsExactly(
            "listener SMTP 127.0.0.1:" + running.port("smtp") + " plain, STARTTLS",
            "listener SMTP 127.0.0.1:" + running.port("submission") + " plain, STARTTLS",
            "listener SMTP 127.0.0.1:" + running.port("smtps") + " implicit TLS",
            "listener SMTP 127.0.0.1:" + running.port("filterport") + " plain",
            "listener IMAP 127.0.0.1:" + running.port("imap") + " plain, STARTTLS",
            "listener IMAP 127.0.0.1:" + running.port("imaps") + " implicit TLS",
            "listener POP3 127.0.0.1:" + running.port("pop3") + " plain, STARTTLS",
            "listener POP3 127.0.0.1:" + running.port("pop3s") + " implicit TLS",
            "listener LMTP 127.0.0.1:" + running.port("lmtp") + " plain",
            "listener ManageSieve 127.0.0.1:" + running.port("managesieve") + " plain, STARTTLS",
            "listener milter 127.0.0.1:" + running.port("milter") + " plain",
            "listener console 127.0.0.1:" + running.port("console") + " http",
            "listener WebAdmin 127.0.0.1:" + running.port("webadmin") + " http",
            "listener JMX 127.0.0.1:" + running.port("jmx") + " rmi registry, 127.0.0.1:" + running.port("jmxRmi") + " connector");
        assertThat(messages.get(15)).matches("ready in \\d+ ms");
    }

    @Test
    void stopReturnsWithExit0OnlyOnceTheServerProcessIsGone() {
        assertThat(stopResult.exitCode()).as("stop: %s", stopResult).isZero();
        assertThat(stopResult.stdout()).isEqualTo("maildeck: stopped\n");
        assertThat(aliveWhenStopReturned).as("pid %s alive when stop returned", stoppedPid).isFalse();
        assertThat(pidFileWhenStopReturned).as("pid file left behind").isFalse();
    }

    @Test
    void logOfACleanlyStoppedServerEndsWithStopped() {
        List<String> messages = serverMessages(stopped.serverLogOfLastStart());

        assertThat(messages).endsWith("stopping", "stopped");
        assertThat(lastLine(stopped.serverLog())).endsWith(" org.maildeck.server - stopped");
    }

    @Test
    void cleanStopOfAnIdleServerLogsNoError() {
        assertThat(stopped.serverLogOfLastStart().lines().filter(line -> line.contains(" ERROR ")))
            .as("ERROR lines from start to clean stop")
            .isEmpty();
    }

    @Test
    void cleanStopClosesTheEmbeddedDatabase() {
        assertThat(stopped.serverLogOfLastStart()).contains("EmbeddedDerby - database closed");
    }

    @Test
    void stopOfAStoppedServerSaysNotRunningAndExits0() {
        MaildeckInstance.Result again = stopped.stop();

        assertThat(again.exitCode()).as("second stop: %s", again).isZero();
        assertThat(again.stdout()).isEqualTo("maildeck: not running\n");
    }

    @Test
    void startAfterACleanStopServesWebAdminWithTheDataOfBefore() throws Exception {
        // the fork's shared server, left serving (TestServer)
        MaildeckInstance server = maildeck.domain("before-restart.test").instance();
        MaildeckInstance.Result stop = server.stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();

        server.start();
        HttpResponse<String> domains = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("webadmin") + "/domains"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", server.adminAuthorization()).GET().build(),
            HttpResponse.BodyHandlers.ofString(UTF_8));

        assertThat(domains.statusCode()).as("GET /domains: %s", domains.body()).isEqualTo(200);
        assertThat(domains.body()).contains("\"before-restart.test\"");
        assertThat(serverMessages(server.serverLogOfLastStart())).last().asString().matches("ready in \\d+ ms");
    }

    @Test
    void foregroundRunServesSmtpAndStopsCleanlyOnSigterm() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create()) {
            Path output = server.home().resolve("run.out");
            Process run = server.runForeground(output);
            try {
                awaitReady(run, output, Duration.ofMinutes(3));
                try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
                    assertThat(smtp.greeting().code()).as("greeting %s", smtp.greeting()).isEqualTo(220);
                }
                assertThat(ProcessHandle.of(run.pid()).flatMap(process -> process.info().commandLine()).orElse(""))
                    .as("the launcher execs the JVM: same pid")
                    .contains("org.maildeck.assembly.MaildeckServerMain");

                run.destroy();
                assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("ended after SIGTERM").isTrue();

                // A JVM ended by SIGTERM exits 128 + 15 once its shutdown hooks have run.
                assertThat(run.exitValue()).isEqualTo(143);
                String log = Files.readString(output, UTF_8);
                assertThat(serverMessages(log)).endsWith("stopping", "stopped");
                assertThat(lastLine(log)).endsWith(" org.maildeck.server - stopped");
            } finally {
                run.destroyForcibly();
            }
        }
    }

    @Test
    void startWithTheConfigurationDirectoryBeingAFileFailsFastNamingIt() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create()) {
            Path notADirectory = Files.writeString(server.home().resolve("conf-is-a-file"), "not a directory\n");
            ProcessBuilder start = server.launcher("start");
            start.environment().put("MAILDECK_CONF", notADirectory.toString());
            Path out = server.home().resolve("start.out");
            Path err = server.home().resolve("start.err");
            start.redirectOutput(out.toFile()).redirectError(err.toFile());

            Process process = start.start();
            // The launcher waits up to 120 s for a server to get ready: ending well before that
            // shows it refused at once instead of starting a server that could not work.
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("start ended").isTrue();

            String stderr = Files.readString(err, UTF_8);
            assertThat(process.exitValue()).as("exit code, stderr: %s", stderr).isNotZero();
            assertThat(stderr).contains(notADirectory.toString()).containsIgnoringCase("configuration");
            assertThat(server.data().resolve("maildeck.pid")).doesNotExist();
        }
    }

    /**
     * A class path put together by hand, with James's jars ahead of Maildeck's replacements for
     * some of their classes: the server refuses to start rather than bring back the defects
     * those replacements mend.
     */
    @Test
    void serverWithJamesJarsAheadOfItsOverridesRefusesToStartNamingEachClass() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create()) {
            Path lib = MaildeckInstance.distribution().resolve("lib");
            String jamesFirst = lib.resolve("protocols-netty-3.8.1.jar") + ":" + lib.resolve("james-server-core-3.8.1.jar") + ":" + lib + "/*";
            Path err = server.home().resolve("main.err");
            Process main = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", jamesFirst, "org.maildeck.assembly.MaildeckServerMain",
                "--conf", server.conf().toString(), "--data", server.data().toString(), "--mail", server.mailRoot().toString())
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();

            assertThat(main.waitFor(60, TimeUnit.SECONDS)).as("ended").isTrue();
            String output = Files.readString(err, UTF_8);
            assertThat(main.exitValue()).as("exit code, output: %s", output).isEqualTo(2);
            assertThat(output).contains("org.apache.james.protocols.netty.TimeoutHandler (from file:" + lib.resolve("protocols-netty-3.8.1.jar"))
                .contains("org.apache.james.server.core.InternetHeadersInputStream (from file:" + lib.resolve("james-server-core-3.8.1.jar"));
        }
    }

    private static void awaitReady(Process run, Path output, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.exists(output) ? Files.readString(output, UTF_8) : "";
            if (serverMessages(log).stream().anyMatch(message -> message.matches("ready in \\d+ ms"))) {
                return;
            }
            if (!run.isAlive()) {
                throw new AssertionError("maildeck run ended with exit " + run.exitValue() + " before it was ready:\n" + log);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("maildeck run not ready after " + timeout + ":\n" + Files.readString(output, UTF_8));
    }

    private static List<String> serverMessages(String log) {
        Matcher matcher = SERVER_MESSAGE.matcher(log);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines[lines.length - 1];
    }
}
