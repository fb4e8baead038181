package org.maildeck.assembly.liveness;

import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.utils.GuiceProbe;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/** Whether the server still takes mail: the SMTP service health check and systemd's watchdog fed on it. */
public class LivenessModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(SmtpServiceHealthCheck.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(SmtpServiceHealthCheck.class);
        bind(SystemdWatchdog.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(SystemdWatchdog.class);
    }
}
