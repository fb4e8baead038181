package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DKIM against an independent implementation, dkimpy (Debian's python3-dkim): Maildeck's
 * signature on mail leaving for another server verifies with it, and its signatures verify (or
 * fail) on arrival here. Keys are published by the tests' own DNS server, which the server's
 * resolver asks (dnsservice.xml); the receiving server is an {@link SmtpSink} reached by MX lookup.
 * Ports 53 and 25 need root, which the CI machine has. The addresses differ from MxDeliveryIT's.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DkimIT {

    private static final String DNS_ADDRESS = "127.0.2.53";
    private static final String MX_ADDRESS = "127.0.2.25";
    private static final String DOMAIN = "dkim-sender.maildeck.test";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "Dkim-Pa55word";
    private static final String SIGNER_DOMAIN = "signer.example";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ZONE_LINE = Pattern.compile("^(\\S+)\\. IN TXT ((?:\"[^\"]{1,255}\" ?)+)$", Pattern.MULTILINE);

    private static TestDnsServer dns;
    private static SmtpSink mx;
    private static MaildeckInstance server;
    private static Path signerKey;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "ports 53 and 25 need root");
        dns = new TestDnsServer(new InetSocketAddress(DNS_ADDRESS, 53))
            .mx("with-mx.example", "mail.with-mx.example")
            .address("mail.with-mx.example", MX_ADDRESS);
        mx = new SmtpSink(new InetSocketAddress(MX_ADDRESS, 25));
        server = MaildeckInstance.create((fileName, content) -> switch (fileName) {
            case "dnsservice.xml" -> TestDnsServer.asTheServersResolver(content, DNS_ADDRESS);
            // a new key is looked for every second, not every ten
            case "mailetcontainer.xml" -> content.replace("<recheckSeconds>10</recheckSeconds>", "<recheckSeconds>1</recheckSeconds>");
            default -> content;
        }).start();
        new WebAdmin(server).addDomain(DOMAIN).addUser(USER, PASSWORD);
        signerKey = publishSignerKey("sel", 2048);
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, mx, dns);
    }

    /** A key of {@link #SIGNER_DOMAIN} for dkimsign (PKCS#8 PEM), its record published; the key file. */
    private static Path publishSignerKey(String selector, int bits) throws Exception {
        return publishSignerKey(dns, SIGNER_DOMAIN, selector, bits);
    }

    /**
     * A key of {@code domain} for dkimsign (PKCS#8 PEM), its record published by {@code zone}; the key file.
     * Made by openssl: Java's generator in this test JVM (the client compiler only, see
     * e2e/pom.xml) took 18-46 s of CPU for a 6,144-bit key, openssl 2-6 s.
     */
    static Path publishSignerKey(TestDnsServer zone, String domain, String selector, int bits) throws Exception {
        Path file = Files.createTempFile(MaildeckInstance.testWork(), "signer-", ".pem");
        byte[] made = run(new byte[0], "openssl", "genpkey", "-quiet", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + bits, "-out", file.toString());
        assertThat(new String(made, ISO_8859_1)).as("openssl genpkey").isEmpty();
        assertThat(Files.readString(file, US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        byte[] publicKey = run(new byte[0], "openssl", "pkey", "-in", file.toString(), "-pubout", "-outform", "DER");
        zone.txt(selector + "._domainkey." + domain, "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey));
        return file;
    }

    private static String marker() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String message(String from, String to, String subject) {
        return "From: Someone <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\n"
            + "Date: Mon, 7 Dec 2026 01:00:00 +0000\r\nMessage-ID: <" + subject + "@" + SIGNER_DOMAIN + ">\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            + "Hello,\r\n\r\nthis is " + subject + ".\r\n  With  spaces  and a trailing blank line.\r\n\r\n";
    }

    /** The message signed by dkimpy's dkimsign with {@code key} (relaxed/simple, its defaults). */
    private static byte[] dkimsign(String message, String selector, Path key) throws Exception {
        return dkimsign(message, SIGNER_DOMAIN, selector, key);
    }

    /** The message signed by dkimpy's dkimsign for {@code domain} with {@code key} (relaxed/simple, its defaults). */
    static byte[] dkimsign(String message, String domain, String selector, Path key) throws Exception {
        return run(message.getBytes(ISO_8859_1), "/usr/bin/dkimsign", selector, domain, key.toString());
    }

    static byte[] run(byte[] stdin, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        return process.exitValue() == 0 ? out : ("exit " + process.exitValue() + ": " + new String(out, ISO_8859_1)).getBytes(ISO_8859_1);
    }

    /** Sent from outside the trusted networks to the local user; the delivered copy with {@code subject}. */
    private static String receivedFromOutside(byte[] message, String subject) throws Exception {
        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send("someone@" + SIGNER_DOMAIN, List.of(USER), message), 250);
        }
        Optional<String> delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Subject: " + subject);
        assertThat(delivered).as("delivered: %s", subject).isPresent();
        return delivered.get();
    }

    /** The Authentication-Results fields of a delivered message, unfolded. */
    static List<String> authenticationResults(String delivered) {
        String headers = delivered.substring(0, delivered.indexOf("\r\n\r\n") + 2).replaceAll("\r\n[ \t]+", " ");
        return headers.lines().filter(line -> line.regionMatches(true, 0, "Authentication-Results:", 0, 23)).toList();
    }

    /** A local domain of the test's own, so that its keys are the test's alone (DOMAIN never gets one). */
    private static String newDomain(String prefix) {
        String domain = prefix + "-" + marker() + ".maildeck.test";
        new WebAdmin(server).addDomain(domain);
        return domain;
    }

    static String keygen(MaildeckInstance server, String domain, String selector) {
        MaildeckInstance.Result result = server.maildeck("dkim", "keygen", domain, "--selector", selector, "--bits", "1024");
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.stdout();
    }

    /** {@code maildeck dkim show}'s record, parsed as a zone file would be: name and the strings joined. */
    static String[] shownRecord(MaildeckInstance server, String domain) {
        MaildeckInstance.Result shown = server.maildeck("dkim", "show", domain);
        assertThat(shown.exitCode()).as("%s", shown).isZero();
        Matcher line = ZONE_LINE.matcher(shown.stdout());
        assertThat(line.find()).as("a zone-file line in %s", shown.stdout()).isTrue();
        String text = String.join("", line.group(2).strip().replaceAll("^\"|\"$", "").split("\" \""));
        return new String[] {line.group(1), text};
    }

    @Test
    void mailLeavingForAnotherServerIsSignedAndDkimpyVerifiesIt() throws Exception {
        String domain = newDomain("signed");
        keygen(server, domain, "it");
        String[] record = shownRecord(server, domain);
        // the server looks for new keys every second (recheckSeconds in this test's configuration)
        Thread.sleep(2500);
        String recipient = "r-" + marker() + "@with-mx.example";

        SmtpClient.deliver(server.port("smtp"), "app@" + domain, List.of(recipient),
            message("app@" + domain, recipient, "outbound " + marker()).getBytes(ISO_8859_1));

        Optional<SmtpSink.Received> received = mx.awaitMessageFor(recipient, WAIT);
        assertThat(received).as("received at the MX host").isPresent();
        assertThat(received.get().data()).contains("DKIM-Signature: ").contains("d=" + domain).contains("s=it");
        byte[] verdict = run(received.get().data().getBytes(ISO_8859_1), "/usr/bin/python3", verifier(), record[0] + "=" + record[1]);
        assertThat(new String(verdict, ISO_8859_1).strip()).as("dkimpy's verdict").isEqualTo("pass");
        server.awaitMailLog(Pattern.compile(": dkim-sign: d=" + Pattern.quote(domain) + ", s=it$"), WAIT);
    }

    static String verifier() throws Exception {
        return Path.of(DkimIT.class.getResource("/dkim-verify.py").toURI()).toString();
    }

    @Test
    void mailOfADomainWithoutKeyLeavesUnsigned() throws Exception {
        String recipient = "r-" + marker() + "@with-mx.example";

        SmtpClient.deliver(server.port("smtp"), "app@" + DOMAIN, List.of(recipient),
            message("app@" + DOMAIN, recipient, "unsigned " + marker()).getBytes(ISO_8859_1));

        Optional<SmtpSink.Received> received = mx.awaitMessageFor(recipient, WAIT);
        assertThat(received).as("received at the MX host").isPresent();
        assertThat(received.get().data()).doesNotContain("DKIM-Signature");
    }

    @Test
    void mailSignedByDkimsignVerifiesAsPassOnArrival() throws Exception {
        String subject = "signed " + marker();

        String delivered = receivedFromOutside(dkimsign(message("someone@" + SIGNER_DOMAIN, USER, subject), "sel", signerKey), subject);

        assertThat(authenticationResults(delivered)).singleElement().asString()
            .matches("Authentication-Results: [A-Za-z0-9.-]+; dkim=pass header\\.d=signer\\.example header\\.s=sel header\\.b=\\S{8}");
    }

    @Test
    void aBodyChangedAfterSigningFailsOnArrival() throws Exception {
        String subject = "changed " + marker();
        String signed = new String(dkimsign(message("someone@" + SIGNER_DOMAIN, USER, subject), "sel", signerKey), ISO_8859_1);

        String delivered = receivedFromOutside(signed.replace("this is", "this was").getBytes(ISO_8859_1), subject);

        assertThat(authenticationResults(delivered)).singleElement().asString()
            .startsWith("Authentication-Results: ").contains("; dkim=fail ").contains("header.d=signer.example header.s=sel");
    }

    @Test
    void aMalformedSignatureIsPermerrorAndTheSessionGoesOn() throws Exception {
        String subject = "malformed " + marker();
        String malformed = "DKIM-Signature: v=1; a=rsa-sha256; d=signer.example; s=sel; h=from; bh=@@@; b=\"\r\n"
            + message("someone@" + SIGNER_DOMAIN, USER, subject);
        String after = "after " + marker();

        try (SmtpClient smtp = SmtpClient.connectFrom("127.0.0.2", server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO outside.example"), 250);
            SmtpClient.expect(smtp.send("someone@" + SIGNER_DOMAIN, List.of(USER), malformed.getBytes(ISO_8859_1)), 250);
            SmtpClient.expect(smtp.send("someone@" + SIGNER_DOMAIN, List.of(USER),
                message("someone@" + SIGNER_DOMAIN, USER, after).getBytes(ISO_8859_1)), 250);
        }

        String delivered = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Subject: " + subject).orElseThrow();
        assertThat(authenticationResults(delivered)).singleElement().asString().contains("; dkim=permerror reason=\"");
        String next = MaildirOnDisk.awaitMessageContaining(server.maildir(USER), WAIT, "Subject: " + after).orElseThrow();
        assertThat(authenticationResults(next)).singleElement().asString().endsWith("; dkim=none");
    }

    @Test
    void aKeyLargerThan4096BitsIsPermerror() throws Exception {
        Path bigKey = publishSignerKey("big", 6144);
        String subject = "big key " + marker();

        String delivered = receivedFromOutside(dkimsign(message("someone@" + SIGNER_DOMAIN, USER, subject), "big", bigKey), subject);

        assertThat(authenticationResults(delivered)).singleElement().asString()
            .contains("; dkim=permerror reason=\"").contains("6144 bits refused").contains("header.s=big");
    }

    @Test
    void anAuthenticationResultsHeaderNamingThisServerIsRemoved() throws Exception {
        String subject = "forged " + marker();
        String ours = authservId();
        String forged = "Authentication-Results: " + ours + "; dkim=pass header.d=bank.example\r\n"
            + "Authentication-Results: other.example; dkim=pass header.d=elsewhere.example\r\n"
            + message("someone@" + SIGNER_DOMAIN, USER, subject);

        String delivered = receivedFromOutside(forged.getBytes(ISO_8859_1), subject);

        assertThat(authenticationResults(delivered)).containsExactly(
            "Authentication-Results: " + ours + "; dkim=none",
            "Authentication-Results: other.example; dkim=pass header.d=elsewhere.example");
    }

    /** The name this server gives itself in Authentication-Results, from an unsigned message's header. */
    private static String authservId() throws Exception {
        String subject = "plain " + marker();
        String delivered = receivedFromOutside(message("someone@" + SIGNER_DOMAIN, USER, subject).getBytes(ISO_8859_1), subject);
        Matcher id = Pattern.compile("Authentication-Results: ([A-Za-z0-9.-]+); dkim=none").matcher(delivered);
        assertThat(id.find()).as("our header in %s", delivered).isTrue();
        return id.group(1);
    }

    @Test
    void keygenMakesAKeyThatShowPrintsAsItsDnsRecord() throws Exception {
        String domain = newDomain("cli");

        String output = keygen(server, domain, "cli");

        Path keyFile = server.conf().resolve("dkim/" + domain + ".cli.key");
        assertThat(output).contains(keyFile.getFileName().toString()).contains("cli._domainkey." + domain + ". IN TXT \"v=DKIM1; k=rsa; p=");
        String[] record = shownRecord(server, domain);
        assertThat(record[0]).isEqualTo("cli._domainkey." + domain);
        String publicKey = new String(run(new byte[0], "openssl", "pkey", "-in", keyFile.toString(), "-pubout", "-outform", "DER"), ISO_8859_1);
        assertThat(record[1]).isEqualTo("v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey.getBytes(ISO_8859_1)));
    }

    @Test
    void theKeyFileIsReadableByTheServerOnly() throws Exception {
        String domain = newDomain("perm");

        keygen(server, domain, "mail");

        Path keyFile = server.conf().resolve("dkim/" + domain + ".mail.key");
        boolean serverGroup = new ProcessBuilder("getent", "group", "maildeck").start().waitFor() == 0;
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
            .as("root:maildeck 0640 where the maildeck group exists, else the owner's alone")
            .isEqualTo(serverGroup ? "rw-r-----" : "rw-------");
    }

    @Test
    void keygenRefusesAnUnknownDomain() {
        MaildeckInstance.Result result = server.maildeck("dkim", "keygen", "unknown-" + marker() + ".example");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("unknown domain");
    }

    @Test
    void keygenRefusesAMalformedSelector() {
        MaildeckInstance.Result result = server.maildeck("dkim", "keygen", DOMAIN, "--selector", "a.b_c");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.stderr()).contains("malformed selector 'a.b_c'");
    }

    @Test
    void keygenRefusesKeysSmallerThan1024OrLargerThan4096Bits() {
        MaildeckInstance.Result small = server.maildeck("dkim", "keygen", DOMAIN, "--selector", "small", "--bits", "512");
        MaildeckInstance.Result large = server.maildeck("dkim", "keygen", DOMAIN, "--selector", "large", "--bits", "8192");

        assertThat(small.exitCode()).as("%s", small).isEqualTo(2);
        assertThat(small.stderr()).contains("key size 512 bits: must be from 1024");
        assertThat(large.exitCode()).as("%s", large).isEqualTo(2);
        assertThat(large.stderr()).contains("key size 8192 bits");
    }

    @Test
    void keygenNeverReplacesAKey() {
        String domain = newDomain("twice");
        keygen(server, domain, "twice");

        MaildeckInstance.Result again = server.maildeck("dkim", "keygen", domain, "--selector", "twice");

        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.stderr()).contains("already has a key with selector 'twice'");
    }

    @Test
    void showRefusesADomainWithoutKey() {
        MaildeckInstance.Result result = server.maildeck("dkim", "show", "nokey.example");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("no DKIM key for nokey.example (make one with: maildeck dkim keygen nokey.example)");
    }
}
