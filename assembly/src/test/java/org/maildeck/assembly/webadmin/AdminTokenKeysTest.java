package org.maildeck.assembly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

import org.apache.james.jwt.JwtConfiguration;
import org.apache.james.jwt.JwtTokenVerifier;
import org.apache.james.jwt.PublicKeyReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.adminaccess.AdminKeyPair;

class AdminTokenKeysTest {

    @Test
    void theAdminKeyPairsPublicKeyIsReadByTheJdkAsJamesReadsIt(@TempDir Path conf) throws Exception {
        AdminKeyPair.ensure(conf);
        String pem = Files.readString(AdminKeyPair.publicKeyFile(conf));

        PublicKey key = AdminTokenKeys.readWithTheJdk(pem).orElseThrow();

        assertThat(key).isEqualTo(new PublicKeyReader().fromPEM(pem).orElseThrow());
    }

    @Test
    void anEcPublicKeyIsReadByTheJdkAsJamesReadsIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";

        assertThat(new AdminTokenKeys(pem).get()).containsExactly(new PublicKeyReader().fromPEM(pem).orElseThrow());
    }

    @Test
    void textThatIsNoPublicKeyIsRefusedAsJamesRefusesIt() {
        String pem = "-----BEGIN CERTIFICATE-----\nTUlJQm9n\n-----END CERTIFICATE-----\n";

        Throwable james = catchThrowable(() -> JwtTokenVerifier.create(new JwtConfiguration(List.of(pem))));

        assertThat(AdminTokenKeys.readWithTheJdk(pem)).isEmpty();
        assertThatThrownBy(() -> new JwtTokenVerifier(new AdminTokenKeys(pem)))
            .isInstanceOf(james.getClass()).hasMessage(james.getMessage());
    }
}
