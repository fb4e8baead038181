package org.maildeck.assembly.webadmin;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.jwt.DefaultPublicKeyProvider;
import org.apache.james.jwt.JwtConfiguration;
import org.apache.james.jwt.MissingOrInvalidKeyException;
import org.apache.james.jwt.PublicKeyProvider;
import org.apache.james.jwt.PublicKeyReader;

/**
 * The key WebAdmin checks admin tokens with, from its PEM text. A {@code PUBLIC KEY} block
 * (X.509 SubjectPublicKeyInfo, what {@code AdminKeyPair} writes) of an RSA or EC key is read
 * with the JDK's {@link KeyFactory}, the same key objects James's {@link PublicKeyReader} ends
 * with. James's reader parses the PEM with Bouncy Castle: that loaded ~90 of its classes and had
 * the JDK verify bcpkix's jar signature (its manifest of 862 digests, an RSA check) in every
 * start, for one key (bench/README.md, "Start, round 3"). Anything else (another algorithm,
 * text that is not one such block) goes to James's reader, so what is accepted, refused and
 * logged stays James's.
 */
final class AdminTokenKeys implements PublicKeyProvider {
    private static final Pattern PUBLIC_KEY_BLOCK =
        Pattern.compile("\\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----\\s*");
    /** The algorithms jjwt checks signatures with, as the JDK names their keys. */
    private static final List<String> ALGORITHMS = List.of("RSA", "EC");

    private final String pem;

    AdminTokenKeys(String pem) {
        this.pem = pem;
    }

    @Override
    public List<PublicKey> get() throws MissingOrInvalidKeyException {
        return readWithTheJdk(pem)
            .map(List::of)
            .orElseGet(() -> new DefaultPublicKeyProvider(new JwtConfiguration(List.of(pem)), new PublicKeyReader()).get());
    }

    static Optional<PublicKey> readWithTheJdk(String pem) {
        Matcher block = PUBLIC_KEY_BLOCK.matcher(pem);
        if (!block.matches()) {
            return Optional.empty();
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String algorithm : ALGORITHMS) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException e) {
                // not a key of this algorithm: the next one, then James's reader
            }
        }
        return Optional.empty();
    }
}
