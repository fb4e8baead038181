package org.maildeck.assembly.liveness;

import java.util.Set;

import org.apache.james.PeriodicalHealthChecksConfiguration;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.utils.ClassName;
import org.apache.james.utils.GuiceGenericLoader;
import org.apache.james.utils.NamingScheme;

import com.google.common.collect.ImmutableSet;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;

/**
 * Replaces James's set of health checks (PeriodicalHealthChecksModule's {@code resolved-checks}:
 * the bound ones and those named in {@code healthcheck.properties}) by the same checks, each
 * answering within {@link TimeBoundHealthCheck#LIMIT}. WebAdmin's {@code /healthcheck} and the
 * periodic checks of the log both use this set. To be installed as an override.
 */
public class TimeBoundHealthChecksModule extends AbstractModule {

    @Provides
    @Singleton
    @Named("resolved-checks")
    Set<HealthCheck> timeBoundHealthChecks(Set<HealthCheck> bound, GuiceGenericLoader loader,
                                           PeriodicalHealthChecksConfiguration configuration) throws Exception {
        ImmutableSet.Builder<HealthCheck> checks = ImmutableSet.builder();
        bound.forEach(check -> checks.add(new TimeBoundHealthCheck(check, TimeBoundHealthCheck.LIMIT)));
        for (String additional : configuration.getAdditionalHealthChecks()) {
            HealthCheck check = loader.<HealthCheck>withNamingSheme(NamingScheme.IDENTITY).instantiate(new ClassName(additional));
            checks.add(new TimeBoundHealthCheck(check, TimeBoundHealthCheck.LIMIT));
        }
        return checks.build();
    }
}
