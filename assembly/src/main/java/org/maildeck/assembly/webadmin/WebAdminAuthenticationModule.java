package org.maildeck.assembly.webadmin;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.jwt.JwtTokenVerifier;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.mdc.RequestLogger;
import org.maildeck.adminaccess.AdminKeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.Multibinder;

/**
 * WebAdmin that refuses every unauthenticated request (401): overrides the authentication filter
 * of James's {@code WebAdminServerModule}, which is none unless {@code jwt.enabled=true}.
 * Tokens are checked with the key of {@code jwt.publickeypem.url}, by default the public half
 * of the instance's {@link AdminKeyPair}, read by {@link AdminTokenKeys}.
 */
public class WebAdminAuthenticationModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.webadmin");

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(EveryPathAuthenticated.class);
        Multibinder.newSetBinder(binder(), RequestLogger.class).addBinding().to(RequestLoggerWithoutBody.class);
    }

    @Provides
    @Singleton
    AuthenticationFilter adminTokens(WebAdminConfiguration configuration, PropertiesProvider properties, JamesDirectoriesProvider directories)
            throws IOException, ConfigurationException {
        if (jwtSwitchedOff(properties)) {
            LOGGER.warn("jwt.enabled=false in webadmin.properties is ignored: WebAdmin always requires an admin token");
        }
        String publicKey = configuration.getJwtPublicKey().orElse(null);
        if (publicKey == null) {
            publicKey = Files.readString(AdminKeyPair.publicKeyFile(Path.of(directories.getConfDirectory())), US_ASCII);
        }
        return new AdminTokenFilter(new JwtTokenVerifier(new AdminTokenKeys(publicKey)));
    }

    private static boolean jwtSwitchedOff(PropertiesProvider properties) throws ConfigurationException {
        try {
            return !properties.getConfiguration("webadmin").getBoolean("jwt.enabled", true);
        } catch (FileNotFoundException e) {
            return false;
        }
    }
}
