package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS listeners of one running server: STARTTLS / STLS on SMTP, submission, IMAP and POP3,
 * implicit TLS on SMTPS, IMAPS and POP3S, the certificate the launcher generated in
 * {@code conf/keystore}, and the protocol versions the listeners accept.
 *
 * <p>The client trusts exactly the certificate found in the instance's keystore (and nothing
 * else, not even the JDK's CA certificates), so a successful handshake proves that the server
 * presents that certificate.</p>
 */
class TlsListenersIT {

    private static final String DOMAIN = "tls.maildeck.test";
    private static final String USER = "tls-user@" + DOMAIN;
    private static final String PASSWORD = "secret-Pa55";
    private static final char[] KEYSTORE_PASSWORD = "maildeck-dev".toCharArray();
    private static final int TIMEOUT_MILLIS = 30_000;

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();
    private static MaildeckInstance server;
    private static X509Certificate keystoreCertificate;
    private static SSLContext trustingTheKeystoreOnly;

    @BeforeAll
    static void addTheUserAndReadTheKeystore() throws Exception {
        server = maildeck.instance();
        maildeck.domain(DOMAIN).webAdmin().addUser(USER, PASSWORD);
        keystoreCertificate = certificateOfKeystore(keystore());
        trustingTheKeystoreOnly = contextTrustingOnly(keystoreCertificate);
    }

    // --- SMTP (STARTTLS) --------------------------------------------------------------------

    @Test
    void smtpEhloAdvertisesStartTls() throws Exception {
        try (Connection smtp = Connection.plain("smtp")) {
            assertThat(smtp.readSmtpReply().get(0)).startsWith("220 ");
            List<String> ehlo = smtp.smtp("EHLO client.test");
            log("smtp EHLO before TLS: " + ehlo);
            assertThat(ehlo.get(0)).startsWith("250");
            assertThat(smtpKeywords(ehlo)).contains("STARTTLS");
        }
    }

    @Test
    void smtpStartTlsHandshakePresentsTheGeneratedCertificate() throws Exception {
        try (Connection smtp = smtpAfterStartTls("smtp")) {
            assertThat(smtp.peerCertificate().getEncoded())
                .as("certificate presented on STARTTLS vs conf/keystore")
                .isEqualTo(keystoreCertificate.getEncoded());
        }
    }

    @Test
    void smtpEhloWorksAfterStartTlsAndNoLongerOffersStartTls() throws Exception {
        try (Connection smtp = smtpAfterStartTls("smtp")) {
            List<String> ehlo = smtp.smtp("EHLO client.test");
            log("smtp EHLO after TLS: " + ehlo);
            assertThat(ehlo.get(0)).startsWith("250");
            assertThat(ehlo.get(ehlo.size() - 1)).startsWith("250 ");
            // RFC 3207 section 4.2: STARTTLS must not be offered again once TLS is on
            assertThat(smtpKeywords(ehlo)).doesNotContain("STARTTLS");
        }
    }

    /**
     * A command sent in one packet behind STARTTLS would be read as if it came over TLS
     * (CVE-2021-38542). James checks for it only until the session's first DATA.
     */
    @Test
    void smtpCommandPipelinedBehindStartTlsIsRefusedAlsoAfterAMessage() throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(USER),
                ("Subject: before STARTTLS\r\n\r\nHello.\r\n").getBytes(ISO_8859_1)), 250);

            smtp.write("STARTTLS\r\nMAIL FROM:<injected@client.test>\r\n".getBytes(ISO_8859_1));
            SmtpClient.Reply reply = smtp.readReply();
            log("smtp STARTTLS with a command behind it, after a message: " + reply);

            assertThat(reply.code()).as("reply %s", reply).isEqualTo(451);
            assertThatThrownBy(smtp::readReply).as("the connection is closed").isInstanceOf(IOException.class);
        }
    }

    // --- SMTPS (implicit TLS) ---------------------------------------------------------------

    @Test
    void smtpsGreetsWith220AfterAnImplicitTlsHandshake() throws Exception {
        try (Connection smtps = Connection.implicitTls("smtps")) {
            assertThat(smtps.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            List<String> greeting = smtps.readSmtpReply();
            log("smtps greeting: " + greeting);
            assertThat(greeting.get(0)).startsWith("220 ");
            assertThat(smtps.smtp("EHLO client.test").get(0)).startsWith("250");
        }
    }

    // --- submission (STARTTLS, AUTH) --------------------------------------------------------

    @Test
    void submissionStartTlsUpgradesTheSession() throws Exception {
        try (Connection submission = Connection.plain("submission")) {
            assertThat(submission.readSmtpReply().get(0)).startsWith("220 ");
            List<String> ehlo = submission.smtp("EHLO client.test");
            log("submission EHLO before TLS: " + ehlo);
            assertThat(smtpKeywords(ehlo)).contains("STARTTLS");
            assertThat(submission.smtp("STARTTLS").get(0)).startsWith("220 ");
            submission.startTls();
            assertThat(submission.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            assertThat(submission.smtp("EHLO client.test").get(0)).startsWith("250");
        }
    }

    @Test
    void submissionAdvertisesAuthAfterStartTls() throws Exception {
        try (Connection submission = smtpAfterStartTls("submission")) {
            List<String> ehlo = submission.smtp("EHLO client.test");
            List<String> authLines = ehlo.stream().filter(line -> line.length() > 4
                && line.substring(4).toUpperCase(Locale.ROOT).startsWith("AUTH")).toList();
            log("submission EHLO after TLS: " + ehlo);
            log("submission AUTH lines after TLS: " + authLines);
            assertThat(authLines).as("EHLO reply %s", ehlo).isNotEmpty();
            assertThat(authLines).anySatisfy(line -> assertThat(line.substring(4).toUpperCase(Locale.ROOT).split("[ =]"))
                .contains("AUTH", "PLAIN"));
        }
    }

    // --- IMAP (STARTTLS) --------------------------------------------------------------------

    @Test
    void imapCapabilityAdvertisesStartTls() throws Exception {
        try (Connection imap = Connection.plain("imap")) {
            String greeting = imap.readLine();
            log("imap greeting: " + greeting);
            assertThat(greeting).startsWith("* OK");
            List<String> capability = imap.imap("a1", "CAPABILITY");
            log("imap CAPABILITY before TLS: " + capability);
            assertThat(imapCapabilities(capability)).contains("STARTTLS");
        }
    }

    @Test
    void imapStartTlsUpgradesAndCapabilityWorksOverTls() throws Exception {
        try (Connection imap = imapAfterStartTls()) {
            assertThat(imap.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            List<String> capability = imap.imap("a2", "CAPABILITY");
            log("imap CAPABILITY after TLS: " + capability);
            assertThat(capability.get(capability.size() - 1)).startsWith("a2 OK");
            assertThat(imapCapabilities(capability)).contains("IMAP4REV1").doesNotContain("STARTTLS");
        }
    }

    @Test
    void imapLoginSucceedsAfterStartTls() throws Exception {
        try (Connection imap = imapAfterStartTls()) {
            List<String> login = imap.imap("a2", "LOGIN \"" + USER + "\" \"" + PASSWORD + "\"");
            assertThat(login.get(login.size() - 1)).as("LOGIN: %s", login).startsWith("a2 OK");
            List<String> select = imap.imap("a3", "SELECT INBOX");
            assertThat(select.get(select.size() - 1)).as("SELECT: %s", select).startsWith("a3 OK");
        }
    }

    // --- IMAPS (implicit TLS) ---------------------------------------------------------------

    @Test
    void imapsGreetsWithOkAfterAnImplicitTlsHandshake() throws Exception {
        try (Connection imaps = Connection.implicitTls("imaps")) {
            assertThat(imaps.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            String greeting = imaps.readLine();
            log("imaps greeting: " + greeting);
            assertThat(greeting).startsWith("* OK");
        }
    }

    @Test
    void imapsLoginSucceeds() throws Exception {
        try (Connection imaps = Connection.implicitTls("imaps")) {
            assertThat(imaps.readLine()).startsWith("* OK");
            List<String> login = imaps.imap("a1", "LOGIN \"" + USER + "\" \"" + PASSWORD + "\"");
            assertThat(login.get(login.size() - 1)).as("LOGIN: %s", login).startsWith("a1 OK");
            List<String> select = imaps.imap("a2", "SELECT INBOX");
            assertThat(select.get(select.size() - 1)).as("SELECT: %s", select).startsWith("a2 OK");
        }
    }

    // --- POP3 (STLS) ------------------------------------------------------------------------

    @Test
    void pop3CapaListsStls() throws Exception {
        try (Connection pop3 = Connection.plain("pop3")) {
            assertThat(pop3.readLine()).startsWith("+OK");
            List<String> capa = pop3.pop3MultiLine("CAPA");
            log("pop3 CAPA before TLS: " + capa);
            assertThat(capa).map(line -> line.toUpperCase(Locale.ROOT)).contains("STLS");
        }
    }

    @Test
    void pop3StlsUpgradesTheConnection() throws Exception {
        try (Connection pop3 = pop3AfterStls()) {
            assertThat(pop3.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            List<String> capa = pop3.pop3MultiLine("CAPA");
            log("pop3 CAPA after TLS: " + capa);
            assertThat(capa).map(line -> line.toUpperCase(Locale.ROOT)).contains("USER");
        }
    }

    @Test
    void pop3UserPassSucceedsAfterStls() throws Exception {
        try (Connection pop3 = pop3AfterStls()) {
            assertThat(pop3.command("USER " + USER)).startsWith("+OK");
            String pass = pop3.command("PASS " + PASSWORD);
            assertThat(pass).as("PASS").startsWith("+OK");
            assertThat(pop3.command("STAT")).startsWith("+OK");
        }
    }

    // --- POP3S (implicit TLS) ---------------------------------------------------------------

    @Test
    void pop3sGreetsWithOkAfterAnImplicitTlsHandshake() throws Exception {
        try (Connection pop3s = Connection.implicitTls("pop3s")) {
            assertThat(pop3s.peerCertificate().getEncoded()).isEqualTo(keystoreCertificate.getEncoded());
            String greeting = pop3s.readLine();
            log("pop3s greeting: " + greeting);
            assertThat(greeting).startsWith("+OK");
        }
    }

    // --- the generated keystore ---------------------------------------------------------------

    @Test
    void generatedKeystoreIsReadableAndWritableByItsOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(keystore()))
            .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void generatedCertificateCommonNameIsTheHostName() throws Exception {
        String host = hostNameAsTheLauncherSeesIt();
        String subject = keystoreCertificate.getSubjectX500Principal().getName();
        log("certificate subject: " + subject + ", host name: " + host);
        List<String> commonNames = new LdapName(subject).getRdns().stream()
            .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
            .map(Rdn::getValue).map(Object::toString).toList();
        assertThat(commonNames).containsExactly(host);
    }

    @Test
    void generatedCertificateHasASubjectAltNameFor127001() throws Exception {
        Collection<List<?>> altNames = keystoreCertificate.getSubjectAlternativeNames();
        log("certificate subject alternative names: " + altNames);
        assertThat(altNames).isNotNull();
        // GeneralName type 7 is iPAddress
        assertThat(altNames).contains(List.of(7, "127.0.0.1"));
    }

    // --- protocol versions ------------------------------------------------------------------

    /**
     * A hand-written ClientHello offering only TLS 1.0 or 1.1 must not get a ServerHello. The
     * JDK client cannot be used for this: its own {@code jdk.tls.disabledAlgorithms} refuses to
     * send such a ClientHello at all, which would make the test pass without asking the server.
     * The same ClientHello offering TLS 1.2 is the control: it must be answered by a ServerHello.
     */
    @ParameterizedTest
    @ValueSource(strings = {"smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s"})
    void tls10And11HandshakesAreRefused(String listener) throws Exception {
        String control = rawHandshake(listener, 0x0303);
        log(listener + ": ClientHello for TLS 1.2 -> " + control);
        assertThat(control).as("control: the same ClientHello with TLS 1.2").isEqualTo("ServerHello 0x0303");

        String tls10 = rawHandshake(listener, 0x0301);
        String tls11 = rawHandshake(listener, 0x0302);
        log(listener + ": ClientHello for TLS 1.0 -> " + tls10 + "; for TLS 1.1 -> " + tls11);
        assertThat(tls10).as("answer to a TLS 1.0 ClientHello").doesNotStartWith("ServerHello");
        assertThat(tls11).as("answer to a TLS 1.1 ClientHello").doesNotStartWith("ServerHello");
    }

    @Test
    void defaultHandshakeNegotiatesTls12OrTls13() throws Exception {
        for (String listener : List.of("smtps", "imaps", "pop3s")) {
            try (Connection connection = Connection.implicitTls(listener)) {
                SSLSession session = connection.session();
                assertThat(session.getProtocol()).as(listener).isIn("TLSv1.2", "TLSv1.3");
            }
        }
    }

    @Test
    void clientRestrictedToTls12IsAccepted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port("smtps"))) {
            SSLSocket ssl = (SSLSocket) trustingTheKeystoreOnly.getSocketFactory()
                .createSocket(socket, "127.0.0.1", server.port("smtps"), true);
            ssl.setSoTimeout(TIMEOUT_MILLIS);
            ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
            ssl.startHandshake();
            log("smtps with a TLSv1.2-only client: " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
            assertThat(ssl.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    // ---------------------------------------------------------------------------------------

    private static Connection smtpAfterStartTls(String listener) throws IOException {
        Connection smtp = Connection.plain(listener);
        try {
            assertThat(smtp.readSmtpReply().get(0)).startsWith("220 ");
            assertThat(smtp.smtp("EHLO client.test").get(0)).startsWith("250");
            List<String> startTls = smtp.smtp("STARTTLS");
            assertThat(startTls.get(0)).as("STARTTLS reply %s", startTls).startsWith("220 ");
            smtp.startTls();
            return smtp;
        } catch (IOException | RuntimeException | Error e) {
            smtp.close();
            throw e;
        }
    }

    private static Connection imapAfterStartTls() throws IOException {
        Connection imap = Connection.plain("imap");
        try {
            assertThat(imap.readLine()).startsWith("* OK");
            List<String> startTls = imap.imap("a1", "STARTTLS");
            assertThat(startTls.get(startTls.size() - 1)).as("STARTTLS reply %s", startTls).startsWith("a1 OK");
            imap.startTls();
            return imap;
        } catch (IOException | RuntimeException | Error e) {
            imap.close();
            throw e;
        }
    }

    private static Connection pop3AfterStls() throws IOException {
        Connection pop3 = Connection.plain("pop3");
        try {
            assertThat(pop3.readLine()).startsWith("+OK");
            assertThat(pop3.command("STLS")).startsWith("+OK");
            pop3.startTls();
            return pop3;
        } catch (IOException | RuntimeException | Error e) {
            pop3.close();
            throw e;
        }
    }

    /** The EHLO keywords (first word of each line after the first), upper case. */
    private static List<String> smtpKeywords(List<String> ehlo) {
        return ehlo.stream().skip(1).map(line -> line.substring(4).split(" ")[0].toUpperCase(Locale.ROOT)).toList();
    }

    /** The capabilities of the untagged CAPABILITY responses, upper case. */
    private static List<String> imapCapabilities(List<String> response) {
        List<String> capabilities = new ArrayList<>();
        for (String line : response) {
            if (line.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                capabilities.addAll(Arrays.asList(line.substring("* CAPABILITY ".length()).toUpperCase(Locale.ROOT).split(" ")));
            }
        }
        return capabilities;
    }

    private static Path keystore() {
        return server.conf().resolve("keystore");
    }

    private static X509Certificate certificateOfKeystore(Path file) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, KEYSTORE_PASSWORD);
        }
        List<String> aliases = Collections.list(keyStore.aliases());
        assertThat(aliases).as("aliases in %s", file).hasSize(1);
        assertThat(keyStore.isKeyEntry(aliases.get(0))).as("%s is a key entry", aliases.get(0)).isTrue();
        return (X509Certificate) keyStore.getCertificate(aliases.get(0));
    }

    /** A TLS client context whose only trust anchor is {@code certificate}. */
    private static SSLContext contextTrustingOnly(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("maildeck", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** What {@code $(hostname -f 2>/dev/null || hostname)} gives, as in bin/maildeck. */
    private static String hostNameAsTheLauncherSeesIt() throws Exception {
        StringBuilder output = new StringBuilder();
        if (run(output, "hostname", "-f") != 0) {
            run(output, "hostname");
        }
        return output.toString().replaceAll("\n+$", "");
    }

    private static int run(StringBuilder output, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        output.append(new String(process.getInputStream().readAllBytes(), ISO_8859_1));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return process.exitValue();
    }

    /**
     * Sends a hand-written ClientHello with {@code version} as its highest version (no
     * supported_versions extension, so no TLS 1.3) on the listener (after STARTTLS / STLS where
     * the listener starts in plain text) and describes the server's first answer:
     * "ServerHello 0x0303", "alert 2/70" or "closed".
     */
    private static String rawHandshake(String listener, int version) throws IOException {
        try (Connection connection = Connection.plain(listener)) {
            switch (listener) {
                case "smtp", "submission" -> {
                    connection.readSmtpReply();
                    connection.smtp("EHLO client.test");
                    assertThat(connection.smtp("STARTTLS").get(0)).startsWith("220 ");
                }
                case "imap" -> {
                    connection.readLine();
                    List<String> startTls = connection.imap("a1", "STARTTLS");
                    assertThat(startTls.get(startTls.size() - 1)).startsWith("a1 OK");
                }
                case "pop3" -> {
                    connection.readLine();
                    assertThat(connection.command("STLS")).startsWith("+OK");
                }
                default -> {
                    // implicit TLS: the ClientHello is the first thing on the connection
                }
            }
            connection.write(clientHello(version));
            return connection.describeFirstTlsRecord();
        }
    }

    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0xc013, 0xc014, 0xc009, 0xc00a, 0x009c, 0x009d, 0x002f, 0x0035, 0x00ff};
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1); // compression methods: null only
        body.write(0);

        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, new int[] {0x0008, 0x001d, 0x0017, 0x0018, 0x0019}); // supported_groups
        extension(extensions, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
        extension(extensions, 0x000d, new int[] {0x000c, 0x0804, 0x0805, 0x0401, 0x0501, 0x0403, 0x0201}); // signature_algorithms
        extension(extensions, 0x0017, new byte[0]); // extended_master_secret
        byte[] extensionBytes = extensions.toByteArray();
        u16(body, extensionBytes.length);
        body.writeBytes(extensionBytes);

        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16); // handshake
        u16(record, 0x0301);
        u16(record, hello.length + 4);
        record.write(0x01); // client_hello
        record.write(0);
        u16(record, hello.length);
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, int[] u16s) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int value : u16s) {
            u16(data, value);
        }
        extension(out, type, data.toByteArray());
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }

    private static void log(String line) {
        System.out.println("[TlsListenersIT] " + line);
    }

    /**
     * One client connection to a listener, in plain text until {@link #startTls()} (or TLS
     * from the start), with line-based reads for SMTP, IMAP and POP3. Reads are unbuffered, so
     * that nothing sent in plain text can be mistaken for TLS data or the other way round.
     */
    private static final class Connection implements AutoCloseable {
        private final String listener;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        private Connection(String listener, Socket socket) throws IOException {
            this.listener = listener;
            this.port = socket.getPort();
            use(socket);
        }

        static Connection plain(String listener) throws IOException {
            return new Connection(listener, new Socket("127.0.0.1", server.port(listener)));
        }

        static Connection implicitTls(String listener) throws IOException {
            Connection connection = plain(listener);
            try {
                connection.startTls();
                return connection;
            } catch (IOException | RuntimeException | Error e) {
                connection.close();
                throw e;
            }
        }

        private void use(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** TLS handshake on the open connection, trusting only the keystore's certificate. */
        void startTls() throws IOException {
            assertThat(in.available()).as("%s: plain-text bytes waiting before the TLS handshake", listener).isZero();
            SSLSocket ssl = (SSLSocket) trustingTheKeystoreOnly.getSocketFactory().createSocket(socket, "127.0.0.1", port, true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            use(ssl);
            log(listener + ": TLS handshake done, " + ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite());
        }

        SSLSession session() {
            assertThat(socket).as("%s: connection is on TLS", listener).isInstanceOf(SSLSocket.class);
            return ((SSLSocket) socket).getSession();
        }

        X509Certificate peerCertificate() throws IOException {
            return (X509Certificate) session().getPeerCertificates()[0];
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void send(String line) throws IOException {
            write((line + "\r\n").getBytes(ISO_8859_1));
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException(listener + ": connection closed after: " + line.toString(ISO_8859_1));
                }
                line.write(b);
            }
            String text = line.toString(ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        /** One SMTP reply, all its lines. */
        List<String> readSmtpReply() throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                lines.add(line);
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return lines;
                }
            }
        }

        List<String> smtp(String command) throws IOException {
            send(command);
            return readSmtpReply();
        }

        /** An IMAP command and all response lines up to and including the tagged one. */
        List<String> imap(String tag, String command) throws IOException {
            send(tag + " " + command);
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = readLine();
                lines.add(line);
                if (line.startsWith(tag + " ")) {
                    return lines;
                }
            }
        }

        /** A POP3 command and its status line. */
        String command(String command) throws IOException {
            send(command);
            return readLine();
        }

        /** A POP3 command answered with a multi-line response: the lines between status and dot. */
        List<String> pop3MultiLine(String command) throws IOException {
            String status = command(command);
            assertThat(status).as("%s: %s", listener, command).startsWith("+OK");
            List<String> lines = new ArrayList<>();
            for (String line = readLine(); !line.equals("."); line = readLine()) {
                lines.add(line.startsWith("..") ? line.substring(1) : line);
            }
            return lines;
        }

        /** Reads the server's first TLS record and describes it. */
        String describeFirstTlsRecord() throws IOException {
            byte[] header;
            try {
                header = readFully(5);
            } catch (SocketTimeoutException e) {
                return "no answer within " + TIMEOUT_MILLIS + " ms";
            } catch (EOFException e) {
                return "closed";
            } catch (IOException e) {
                return "closed (" + e + ")";
            }
            int type = header[0] & 0xff;
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            byte[] fragment = readFully(Math.min(length, 16));
            if (type == 0x15 && fragment.length >= 2) {
                return "alert " + fragment[0] + "/" + fragment[1];
            }
            if (type == 0x16 && fragment.length >= 6 && fragment[0] == 0x02) {
                return String.format("ServerHello 0x%02x%02x", fragment[4], fragment[5]);
            }
            return String.format("record type 0x%02x: %s", type, Arrays.toString(fragment));
        }

        private byte[] readFully(int length) throws IOException {
            byte[] bytes = new byte[length];
            int read = 0;
            while (read < length) {
                int n = in.read(bytes, read, length - read);
                if (n < 0) {
                    throw new EOFException(listener + ": closed after " + read + " of " + length + " bytes");
                }
                read += n;
            }
            return bytes;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
