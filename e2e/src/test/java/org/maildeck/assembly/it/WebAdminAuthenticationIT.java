package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.maildeck.adminaccess.AdminToken;
import org.maildeck.antivirus.ClamdProcess;

/**
 * WebAdmin refuses every request without an admin token (401), James's routes and Maildeck's
 * alike, and the mail log names the admin of the token; the admin commands sign one with the
 * instance's key, also over https.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WebAdminAuthenticationIT {

    private static final String DOMAIN = "auth.maildeck.test";
    private static final String USER = "u1@" + DOMAIN;
    private static final String PASSWORD = "Auth-Pa55word";
    private static final String SENDER = "sender@" + DOMAIN;
    private static final Duration WAIT = Duration.ofSeconds(150);

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static MaildeckInstance server;
    private static WebAdmin webAdmin;
    /** Quarantined at start; the unauthenticated requests try to release and delete it. */
    private static String quarantined;

    @BeforeAll
    static void addTheUserAndQuarantineAVirus() throws Exception {
        server = maildeck.instance();
        webAdmin = maildeck.domain(DOMAIN).webAdmin().addUser(USER, PASSWORD);
        quarantined = quarantineAVirus();
    }

    private static String quarantineAVirus() throws Exception {
        String subject = "virus " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send(SENDER, List.of(USER), ("From: " + SENDER + "\r\nTo: " + USER + "\r\nSubject: " + subject
                + "\r\n\r\n" + ClamdProcess.EICAR + "\r\n").getBytes(ISO_8859_1)), 250);
        }
        return server.awaitQuarantined("virus", subject, WAIT);
    }

    /** The issue's three attacks, and a request to each of the other routes (James's and ours). */
    static Stream<Arguments> unauthenticatedRequests() {
        return Stream.of(
            Arguments.of("PUT", "/users/" + USER + "?force", "{\"password\":\"hijacked\"}"),
            Arguments.of("PUT", "/address/aliases/thief@elsewhere.example/sources/info@" + DOMAIN, null),
            Arguments.of("PUT", "/address/forwards/" + USER + "/targets/thief@elsewhere.example", null),
            Arguments.of("POST", "/quarantine/{id}/release?by=root", null),
            Arguments.of("DELETE", "/quarantine/{id}?by=root", null),
            Arguments.of("GET", "/quarantine", null),
            Arguments.of("GET", "/quarantine/{id}/message", null),
            Arguments.of("GET", "/queue", null),
            Arguments.of("POST", "/queue/flush", null),
            Arguments.of("DELETE", "/queue/Mail1234567890-0-!1234567?by=root", null),
            Arguments.of("GET", "/domains", null),
            Arguments.of("GET", "/users", null),
            Arguments.of("GET", "/mailQueues", null),
            Arguments.of("GET", "/mailRepositories", null),
            // James makes it public: it names the components and why they fail
            Arguments.of("GET", "/healthcheck", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unauthenticatedRequests")
    void anUnauthenticatedRequestIsRefusedWith401(String method, String path, String json) {
        HttpResponse<String> response = webAdmin.exchange(method, path.replace("{id}", quarantined), json, null);

        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
    }

    @Test
    void afterTheUnauthenticatedAttacksThePasswordTheAliasesAndTheQuarantineAreUnchanged() throws Exception {
        for (Arguments attack : unauthenticatedRequests().toList()) {
            Object[] request = attack.get();
            webAdmin.exchange((String) request[0], ((String) request[1]).replace("{id}", quarantined), (String) request[2], null);
        }

        try (ImapClient imap = ImapClient.login("Maildeck", server.port("imap"), USER, PASSWORD)) {
            imap.select("INBOX");
        }
        assertThat(webAdmin.get("/address/aliases")).doesNotContain("thief");
        assertThat(webAdmin.get("/address/forwards")).doesNotContain(USER);
        assertThat(server.data().resolve("quarantine/virus/" + quarantined)).exists();
        assertThat(server.mailLogLines()).noneMatch(line -> line.startsWith(quarantined + ": "));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = "Bearer " + AdminToken.sign(generator.generateKeyPair().getPrivate(), "root", Instant.now());

        HttpResponse<String> response = webAdmin.exchange("PUT", "/users/" + USER + "?force", "{\"password\":\"hijacked\"}", forged);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void theMailLogNamesTheAdminOfTheTokenNotTheByParameter() throws Exception {
        String id = quarantineAVirus();

        HttpResponse<String> response = webAdmin.exchange("POST", "/quarantine/" + id + "/release?by=root", null,
            server.adminAuthorization("auditor-7"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String line = server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": released from quarantine"), WAIT);
        assertThat(line).contains(") by auditor-7: ").doesNotContain("by root");
    }

    @Test
    void theAdminCommandsNameTheUserWhoRunsThemBehindSudo() throws Exception {
        String id = quarantineAVirus();
        ProcessBuilder delete = server.launcher("quarantine", "delete", id).redirectErrorStream(true);
        delete.environment().put("SUDO_USER", "alice-admin");

        Process process = delete.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        String line = server.awaitMailLog(Pattern.compile(Pattern.quote(id) + ": deleted from quarantine"), WAIT);
        assertThat(line).contains(") by alice-admin (via sudo as " + System.getProperty("user.name") + "): ");
    }

    @Test
    void aRefusedRequestIsAnsweredWithoutReadingItsBody() throws Exception {
        // announces a gigabyte and sends a few bytes of it
        String answer = answerTo("PUT /users/" + USER + "?force HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1073741824\r\n\r\n{\"password\":\"");

        assertThat(answer).startsWith("HTTP/1.1 401 ").containsIgnoringCase("Connection: close");
    }

    @Test
    void anAdminRequestAnnouncingABodyOverOneMegabyteIsRefusedWith413() throws Exception {
        String answer = answerTo("PUT /sieve/" + USER + "/scripts/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            + "Authorization: " + server.adminAuthorization() + "\r\nContent-Length: " + (1024 * 1024 + 1) + "\r\n\r\nrequire");

        assertThat(answer).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void theAdminCommandsWorkWithHttpsAndJwtEnabled() throws Exception {
        try (MaildeckInstance https = MaildeckInstance.create()) {
            // the keystore bin/maildeck makes at the first start, for 127.0.0.1 and localhost
            Path keystore = https.conf().resolve("keystore");
            Path properties = https.conf().resolve("webadmin.properties");
            Files.writeString(properties, Files.readString(properties, ISO_8859_1)
                .replaceFirst("(?m)^https\\.enabled=.*$", "https.enabled=true\nhttps.keystore=" + keystore + "\nhttps.password=maildeck-dev")
                .replaceFirst("(?m)^jwt\\.enabled=.*$", "jwt.enabled=true"), ISO_8859_1);
            https.start();

            MaildeckInstance.Result add = https.maildeck("domain", "add", "tls.maildeck.test");
            assertThat(add.exitCode()).as(add.toString()).isZero();
            MaildeckInstance.Result list = https.maildeck("domain", "list");
            assertThat(list.stdout().lines()).as(list.toString()).contains("tls.maildeck.test");
            MaildeckInstance.Result status = https.maildeck("status");
            assertThat(status.stdout()).as(status.toString()).startsWith("maildeck: running");
        }
    }

    /** Sends {@code request} (head and the start of a body) as it is and reads WebAdmin's answer until it closes the connection. */
    private static String answerTo(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port("webadmin"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(ISO_8859_1);
        }
    }
}
