package org.maildeck.adminaccess;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A keystore of the instance (JMX's, WebAdmin's, the web console's), the TLS server side that
 * presents its key, and the TLS client side that trusts exactly its certificates: how the admin
 * commands reach the server's own TLS endpoints, self-signed or not, without trusting anything else.
 */
public record OwnCertificates(Path keystore, String type, String password) {

    public KeyStore load() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore keys = KeyStore.getInstance(type);
            keys.load(in, password.toCharArray());
            return keys;
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + keystore + ": permission denied", e);
        }
    }

    /** The server's side: presents the keystore's key and certificate. */
    public SSLContext serverContext() throws IOException {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load(), password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    public SSLContext clientContext() throws IOException {
        try {
            KeyStore keys = load();
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (String alias : Collections.list(keys.aliases())) {
                // a key entry's own certificate, not its chain: trusting an issuer would trust its other certificates
                Certificate certificate = keys.getCertificate(alias);
                if (certificate != null) {
                    trusted.setCertificateEntry(alias, certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS keystore " + keystore + ": " + e.getMessage(), e);
        }
    }
}
