package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code maildeck check}: silent on a sound installation, one error line with file and line per problem. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CheckCommandIT {

    /** The running server with the shipped configuration: shared, as check only reads it. */
    @RegisterExtension
    static final TestServer shipped = TestServer.shared();

    @Test
    void aRunningServerWithTheShippedConfigurationPassesSilently() {
        MaildeckInstance.Result check = shipped.instance().maildeck("check");

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).as(check.toString()).isEmpty();
    }

    @Test
    void malformedXmlIsAnErrorWithItsFileAndLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("smtpserver.xml")
                ? content.replaceFirst("<jmxName>smtpserver</jmxName>", "<jmxName>smtpserver</jmxNam>") : content)) {
            int line = lineOf(instance.conf().resolve("smtpserver.xml"), "</jmxNam>");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stdout()).contains("error: " + instance.conf().resolve("smtpserver.xml") + ":" + line + ": not well-formed XML");
        }
    }

    @Test
    void aMailetClassTheServerDoesNotHaveIsAnErrorWithItsLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("mailetcontainer.xml")
                ? content.replaceFirst("class=\"RemoveMimeHeader\"", "class=\"org.example.NoSuchMailet\"") : content)) {
            Path file = instance.conf().resolve("mailetcontainer.xml");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stdout()).contains("error: " + file + ":" + lineOf(file, "org.example.NoSuchMailet")
                + ": mailet class org.example.NoSuchMailet not found");
        }
    }

    @Test
    void aRemoteDeliveryWithoutTheMailLogTransportIsAWarningWithItsLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("mailetcontainer.xml")
                ? content.replaceFirst("(?s)(<mailet match=\"relay-allowed\" class=\"RemoteDelivery\">.*?)"
                    + "<mail\\.smtp\\.class>[^<]*</mail\\.smtp\\.class>", "$1")
                : content)) {
            Path file = instance.conf().resolve("mailetcontainer.xml");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.stdout()).contains("warning: " + file + ":" + lineOf(file, "<mailet match=\"relay-allowed\" class=\"RemoteDelivery\">")
                + ": RemoteDelivery without <mail.smtp.class>org.maildeck.mailets.remote.smtp.SMTPTransport</mail.smtp.class>:"
                + " its deliveries write no mail-log lines\n");
            assertThat(check.stdout()).as("the partner RemoteDelivery is commented out").containsOnlyOnce("RemoteDelivery without");
        }
    }

    @Test
    void anSmtpListenerGreetingAsLocalhostIsAWarningWithItsLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("smtpserver.xml")
                ? content.replaceFirst(java.util.regex.Pattern.quote(">${sys:maildeck.hostname}</helloName>"), ">localhost</helloName>") : content)) {
            Path file = instance.conf().resolve("smtpserver.xml");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.stdout()).contains("warning: " + file + ":" + lineOf(file, "<helloName autodetect=\"false\">localhost<")
                + ": <helloName>localhost</helloName>: the server greets as localhost;");
        }
    }

    @Test
    void aRemoteDeliveryWithoutHeloNameIsAWarningWithItsLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("mailetcontainer.xml")
                ? content.replaceFirst("(?s)(<mailet match=\"relay-allowed\" class=\"RemoteDelivery\">.*?)<heloName>[^<]*</heloName>", "$1")
                : content)) {
            Path file = instance.conf().resolve("mailetcontainer.xml");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.stdout()).contains("warning: " + file + ":" + lineOf(file, "<mailet match=\"relay-allowed\" class=\"RemoteDelivery\">")
                + ": RemoteDelivery without <heloName>: it introduces itself with the default domain, which other servers may refuse;"
                + " add <heloName>${sys:maildeck.hostname}</heloName>\n");
        }
    }

    @Test
    void anSmtpListenerTakingLargerMailThanClamdScansIsAWarningWithItsLine() {
        try (MaildeckInstance instance = MaildeckInstance.create((file, content) -> file.equals("smtpserver.xml")
                ? content.replaceFirst("<maxmessagesize>[0-9]+</maxmessagesize>", "<maxmessagesize>51200</maxmessagesize>") : content)) {
            Path file = instance.conf().resolve("smtpserver.xml");

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.stdout()).contains("warning: " + file + ":" + lineOf(file, "<maxmessagesize>51200<")
                + ": <maxmessagesize>51200</maxmessagesize> (52428800 bytes) is more than clamd takes (clamd.stream.max.length=25M in "
                + instance.conf().resolve("contentfilter.properties") + ", less 64 KiB for the headers the server adds):"
                + " larger mail is accepted and then bounced unscanned; lower it or raise both\n");
            assertThat(check.stdout()).as("the other listeners keep the shipped limit").containsOnlyOnce("<maxmessagesize>");
        }
    }

    @Test
    void aClamdTakingLessThanTheContentFilterAssumesIsAWarning() throws Exception {
        try (MaildeckInstance instance = MaildeckInstance.create()) {
            Path clamdConf = instance.home().resolve("clamd.conf");
            Files.writeString(clamdConf, Files.readString(instance.clamd().configFile())
                .replaceFirst("(?m)^StreamMaxLength .*$", "StreamMaxLength 10M"));
            Path contentFilter = instance.conf().resolve("contentfilter.properties");
            Files.writeString(contentFilter, Files.readString(contentFilter).replaceFirst("(?m)^clamd\\.conf=.*$", "clamd.conf=" + clamdConf));

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.stdout()).contains("warning: " + clamdConf + ": StreamMaxLength is 10485760 bytes, less than"
                + " clamd.stream.max.length=25M (26214400 bytes) in " + contentFilter
                + ": clamd refuses mail between the two, which is then bounced unscanned; make them agree\n");
        }
    }

    @Test
    void aListenerPortHeldByAnotherProgramIsAnError() throws Exception {
        try (MaildeckInstance instance = MaildeckInstance.create();
             ServerSocket squatter = new ServerSocket(instance.port("imap"), 10, InetAddress.getLoopbackAddress())) {
            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stdout()).contains("error: " + instance.conf().resolve("imapserver.xml")
                + ": imapserver: 127.0.0.1:" + instance.port("imap") + " is in use by another program");
        }
    }

    @Test
    void aMilterPortHeldByAnotherProgramIsAnError() throws Exception {
        try (MaildeckInstance instance = MaildeckInstance.create();
             ServerSocket squatter = new ServerSocket(instance.port("milter"), 10, InetAddress.getLoopbackAddress())) {
            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stdout()).contains("error: " + instance.conf().resolve("milter.properties")
                + ": milter: 127.0.0.1:" + instance.port("milter") + " is in use by another program");
        }
    }

    @Test
    void anExpiredCertificateIsAnError() throws Exception {
        try (MaildeckInstance instance = MaildeckInstance.create()) {
            Path keystore = instance.conf().resolve("keystore");
            Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "maildeck", "-keyalg", "RSA", "-keysize", "2048",
                "-startdate", "-2y", "-validity", "30", "-dname", "CN=expired.example", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "maildeck-dev", "-keypass", "maildeck-dev")
                .redirectErrorStream(true).start();
            assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(new String(keytool.getInputStream().readAllBytes())).isTrue();

            MaildeckInstance.Result check = instance.maildeck("check");

            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stdout()).containsPattern("error: " + java.util.regex.Pattern.quote(keystore.toString())
                + ": certificate CN=expired.example expired on \\d{4}-");
        }
    }

    private static int lineOf(Path file, String text) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(text + " not in " + file);
    }

}
