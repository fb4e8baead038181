package org.maildeck.mailauth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One domain's DKIM signing key on disk: {@code <conf>/dkim/<domain>.<selector>.key}, the RSA
 * private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes and
 * opendkim reads), readable by the server only. The name carries the domain and the selector, so
 * the directory is the whole configuration: a key is used for the mail of its domain as soon as its
 * file is there. The selector is one DNS label (no dots), so that the name splits back unambiguously.
 *
 * <p>JDK only: the admin commands ({@code maildeck dkim}) write and read these files too.</p>
 */
public record DkimKeyFile(String domain, String selector, RSAPrivateCrtKey privateKey) {

    public static final String DIRECTORY = "dkim";
    public static final int MIN_BITS = 1024;
    public static final int MAX_BITS = 4096;
    /** One DNS label, lower case (RFC 6376 3.1 allows dotted selectors; one label keeps the file name unambiguous). */
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern FILE_NAME = Pattern.compile("(.+)\\.([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\\.key");
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    public static boolean isValidSelector(String selector) {
        return SELECTOR.matcher(selector).matches();
    }

    public static Path directory(Path conf) {
        return conf.resolve(DIRECTORY);
    }

    public static Path path(Path directory, String domain, String selector) {
        return directory.resolve(domain.toLowerCase(Locale.ROOT) + "." + selector + ".key");
    }

    /** The domain and selector a key file's name stands for, if it is a key file's name. */
    static Optional<String[]> domainAndSelector(String fileName) {
        Matcher matcher = FILE_NAME.matcher(fileName);
        return matcher.matches() ? Optional.of(new String[] {matcher.group(1), matcher.group(2)}) : Optional.empty();
    }

    /** The keys of {@code domain} in {@code directory}, oldest first (the last one signs, as {@link DkimKeyRing} chooses). */
    public static List<DkimKeyFile> keysOf(Path directory, String domain) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, domain.toLowerCase(Locale.ROOT) + ".*.key")) {
            for (Path file : stream) {
                domainAndSelector(file.getFileName().toString())
                    .filter(names -> names[0].equals(domain.toLowerCase(Locale.ROOT)))
                    .ifPresent(names -> files.add(file));
            }
        }
        files.sort(Comparator.comparing(file -> {
            try {
                return Files.getLastModifiedTime(file);
            } catch (IOException e) {
                return FileTime.fromMillis(0);
            }
        }));
        List<DkimKeyFile> keys = new ArrayList<>();
        for (Path file : files) {
            keys.add(read(file));
        }
        return keys;
    }

    /** A new RSA key for {@code domain}, written (not replacing any file) with the permissions of {@link #writeNew}. */
    public static DkimKeyFile generate(Path directory, String domain, String selector, int bits) throws IOException {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("key size " + bits + " bits: must be from " + MIN_BITS + " to " + MAX_BITS);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            DkimKeyFile key = new DkimKeyFile(domain.toLowerCase(Locale.ROOT), selector,
                (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
            key.writeNew(directory);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JDK", e);
        }
    }

    /** Reads a key file; fails on a name that is not {@code <domain>.<selector>.key} or content that is not an RSA PKCS#8 key. */
    public static DkimKeyFile read(Path file) throws IOException {
        String[] names = domainAndSelector(file.getFileName().toString())
            .orElseThrow(() -> new IOException(file + ": not named <domain>.<selector>.key"));
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new IOException(file + ": no PKCS#8 private key (" + PEM_BEGIN + ")");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
            if (!(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey key)) {
                throw new IOException(file + ": not an RSA key with its CRT parameters");
            }
            return new DkimKeyFile(names[0], names[1], key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": unreadable private key: " + e.getMessage(), e);
        }
    }

    public int bits() {
        return privateKey.getModulus().bitLength();
    }

    /** The public half, DER (SubjectPublicKeyInfo), base64: the {@code p=} of the DNS record. */
    public String publicKeyBase64() {
        try {
            BigInteger modulus = privateKey.getModulus();
            byte[] der = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(modulus, privateKey.getPublicExponent())).getEncoded();
            return Base64.getEncoder().encodeToString(der);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name the record is published under, without the final dot. */
    public String recordName() {
        return selector + "._domainkey." + domain;
    }

    /** The text of the DKIM key record (RFC 6376 3.6.1). */
    public String recordText() {
        return "v=DKIM1; k=rsa; p=" + publicKeyBase64();
    }

    /**
     * Writes the key to {@code directory} (created 0750 if missing) under its name, never over an
     * existing file: a temporary file made 0600 before the key is in it, then a link to the final
     * name. When run as root (the installed layout, /etc/maildeck being root's) and a
     * {@code maildeck} group exists, the file becomes root:maildeck 0640, as the WebAdmin key is,
     * and the directory root:maildeck 0750, so that the server (user maildeck) reads it and nobody
     * else does.
     */
    void writeNew(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        }
        Optional<GroupPrincipal> serverGroup = serverGroup();
        // the server must be able to enter the directory too: root:maildeck 0750
        serverGroup.ifPresent(group -> shareWithServer(directory, group, "rwxr-x---"));
        Path target = path(directory, domain, selector);
        Path temporary = Files.createTempFile(directory, ".new-", ".key",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, pem(), StandardCharsets.US_ASCII);
            serverGroup.ifPresent(group -> shareWithServer(temporary, group, "rw-r-----"));
            try {
                Files.createLink(target, temporary);
            } catch (UnsupportedOperationException e) {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Optional<GroupPrincipal> serverGroup() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName("maildeck"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void shareWithServer(Path file, GroupPrincipal group, String permissions) {
        try {
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new IllegalStateException("cannot give " + file + " to group maildeck: " + e.getMessage(), e);
        }
    }

    private String pem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded());
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }
}
