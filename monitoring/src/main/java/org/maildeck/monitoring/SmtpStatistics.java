package org.maildeck.monitoring;

import javax.inject.Inject;

import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;
import org.maildeck.mailets.smtpd.RelayDenials;

/** The SMTP policy counters the hooks keep, as the {@code SmtpAuth} and {@code Relay} MBeans read them. */
public class SmtpStatistics {

    public static final String AUTH_NAME = "org.maildeck:type=SmtpAuth";
    public static final String RELAY_NAME = "org.maildeck:type=Relay";

    private final LoginThrottle auth;
    private final RelayDenials relay;

    @Inject
    SmtpStatistics(LoginThrottle auth, RelayDenials relay) {
        this.auth = auth;
        this.relay = relay;
    }

    public SmtpAuthMXBean auth() {
        return new SmtpAuthMXBean() {
            @Override
            public long getSuccessesTotal() {
                return auth.successes(LoginProtocol.SMTP);
            }

            @Override
            public long getFailuresTotal() {
                return auth.failures(LoginProtocol.SMTP);
            }

            @Override
            public long getLockoutsTotal() {
                return auth.lockouts();
            }

            @Override
            public long getLockedOutClients() {
                return auth.lockedOutClients();
            }
        };
    }

    public RelayMXBean relay() {
        return new RelayMXBean() {
            @Override
            public long getRelayDeniedTotal() {
                return relay.total();
            }
        };
    }
}
