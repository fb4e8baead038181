package org.maildeck.adminaccess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;

/**
 * TLS on the JMX registry and connector ({@code jmx.ssl} in jmx.properties), with a keystore
 * of the configuration directory: off by default because JMX stays on loopback, on for an admin
 * who reaches it through a network after all.
 */
public record JmxTls(boolean enabled, Path keystore, String keystoreType, String password) {

    public static JmxTls off() {
        return new JmxTls(false, Path.of("keystore"), "PKCS12", "");
    }

    /**
     * The {@code jmx.ssl*} settings of jmx.properties, as the server and {@code maildeck status}
     * both read them: {@code setting} gives a key's value or null; the keystore is relative to {@code conf}.
     */
    public static JmxTls fromSettings(UnaryOperator<String> setting, Path conf) {
        return new JmxTls(Boolean.parseBoolean(valueOr(setting, "jmx.ssl", "false")),
            conf.resolve(valueOr(setting, "jmx.ssl.keystore", "keystore")),
            valueOr(setting, "jmx.ssl.keystore.type", "PKCS12"),
            Optional.ofNullable(setting.apply("jmx.ssl.keystore.password")).orElse(""));
    }

    private static String valueOr(UnaryOperator<String> setting, String key, String fallback) {
        return Optional.ofNullable(setting.apply(key)).map(String::trim).orElse(fallback);
    }

    /** The server's side: presents the keystore's certificate. */
    public SSLContext serverContext() throws IOException {
        return ownCertificates().serverContext();
    }

    /**
     * A client's side that trusts exactly the keystore's certificates: for {@code maildeck status},
     * and for the server's own call into its registry when the connector registers itself.
     */
    public SSLContext clientContext() throws IOException {
        return ownCertificates().clientContext();
    }

    private OwnCertificates ownCertificates() {
        return new OwnCertificates(keystore, keystoreType, password);
    }
}
