package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JMX with {@code jmx.ssl=true}: registry and connector speak TLS with the configured keystore's
 * certificate, a client without TLS gets nowhere, and {@code maildeck status} still reads the
 * MBeans, trusting that certificate by itself.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JmxTlsIT {

    /** Of its own: JMX over TLS is a configuration no other class asks for. */
    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> fileName.equals("jmx.properties")
        ? content.replaceFirst("(?m)^jmx\\.ssl=false$", "jmx.ssl=true")
        : content);
    private static MaildeckInstance server;

    @BeforeAll
    static void onItsServer() {
        server = maildeck.instance();
    }

    /** The certificate a TLS handshake on {@code port} presents; no trust decision, only what is shown. */
    private static Certificate presentedOn(int port) throws Exception {
        SSLContext anyCertificate = AnyCertificate.context();
        try (SSLSocket socket = (SSLSocket) anyCertificate.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }

    private static Certificate keystoreCertificate() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.conf().resolve("keystore"))) {
            keystore.load(in, "maildeck-dev".toCharArray());
        }
        return keystore.getCertificate(keystore.aliases().nextElement());
    }

    @Test
    void theRegistryPortSpeaksTlsWithTheKeystoresCertificate() throws Exception {
        assertThat(presentedOn(server.port("jmx"))).isEqualTo(keystoreCertificate());
    }

    @Test
    void theConnectorPortSpeaksTlsWithTheKeystoresCertificate() throws Exception {
        assertThat(presentedOn(server.port("jmxRmi"))).isEqualTo(keystoreCertificate());
    }

    @Test
    void aClientWithoutTlsCannotConnectEvenWithThePassword() {
        assertThatThrownBy(() -> MaildeckJmx.connectAsAdmin(server).close()).isInstanceOf(IOException.class);
    }

    @Test
    void maildeckStatusReadsTheMBeansOverTls() {
        MaildeckInstance.Result status = server.maildeck("status");

        assertThat(status.stdout()).as(status.toString())
            .contains("scanners (since start; latency of the last 5 minutes):\n")
            .contains("last minute:\n")
            .doesNotContain("without JMX");
    }

    @Test
    void theStartLineSaysTls() {
        assertThat(server.serverLogOfLastStart()).contains("(connector), authentication required, TLS");
    }
}
