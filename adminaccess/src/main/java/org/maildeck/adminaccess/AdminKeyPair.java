package org.maildeck.adminaccess;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA key pair behind WebAdmin's admin tokens, in the configuration directory:
 * {@value #PRIVATE_KEY_FILE} (PKCS#8 PEM) signs them, in the admin commands, and only root and
 * the {@code maildeck} group may read it; {@value #PUBLIC_KEY_FILE} (PEM) is what the server
 * checks them with ({@code jwt.publickeypem.url} of webadmin.properties).
 *
 * <p>Made like {@code jmxremote.password}: by the package's set-up as root, or by a dev
 * instance's first start. {@code main(CONF)} is the set-up's entry.</p>
 */
public final class AdminKeyPair {
    public static final String PRIVATE_KEY_FILE = "webadmin-admin.key";
    public static final String PUBLIC_KEY_FILE = "webadmin-admin.pub";

    private static final int KEY_BITS = 2048;

    private AdminKeyPair() {
    }

    /**
     * Makes the pair unless both files are there; true when it made it. The private key is
     * created owner-only; the package's set-up gives it to the {@code maildeck} group.
     */
    public static boolean ensure(Path conf) throws IOException {
        Path privateKey = conf.resolve(PRIVATE_KEY_FILE);
        Path publicKey = conf.resolve(PUBLIC_KEY_FILE);
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return false;
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate the WebAdmin admin key: " + e.getMessage(), e);
        }
        // Public half first: a start interrupted in between finds no private key and makes both again.
        write(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
        write(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
        return true;
    }

    /** The signing key, for the admin commands; the message names the file and says who may read it. */
    public static PrivateKey privateKey(Path conf) throws IOException {
        Path file = conf.resolve(PRIVATE_KEY_FILE);
        String pem;
        try {
            pem = Files.readString(file, US_ASCII);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied (the admin commands need root or the maildeck group)", e);
        } catch (NoSuchFileException e) {
            throw new IOException("no " + file + ": the server makes it on its first start (installed: run maildeck-setup as root)", e);
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an RSA private key in PEM (PKCS#8): " + e.getMessage(), e);
        }
    }

    public static Path publicKeyFile(Path conf) {
        return conf.resolve(PUBLIC_KEY_FILE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(temporary, content, US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code AdminKeyPair CONF}: the package's set-up makes the pair when it is missing. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AdminKeyPair CONF_DIRECTORY");
            System.exit(2);
        }
        Path conf = Path.of(args[0]);
        if (ensure(conf)) {
            System.out.println("maildeck: generated the WebAdmin admin key in " + conf.resolve(PRIVATE_KEY_FILE));
        }
    }
}
