package org.maildeck.monitoring;

import javax.inject.Inject;

import org.maildeck.mailets.auth.LoginProtocol;
import org.maildeck.mailets.auth.LoginThrottle;

/** The login counters of {@link LoginThrottle}, as the {@code Login} MBeans (one per protocol) read them. */
public class LoginStatistics {

    private final LoginThrottle throttle;

    @Inject
    LoginStatistics(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    public static String name(LoginProtocol protocol) {
        return "org.maildeck:type=Login,protocol=" + protocol;
    }

    public LoginMXBean of(LoginProtocol protocol) {
        return new LoginMXBean() {
            @Override
            public long getSuccessesTotal() {
                return throttle.successes(protocol);
            }

            @Override
            public long getFailuresTotal() {
                return throttle.failures(protocol);
            }

            @Override
            public long getLockedOutRefusalsTotal() {
                return throttle.refusals(protocol);
            }

            @Override
            public long getLockoutsTotal() {
                return throttle.lockouts();
            }

            @Override
            public long getLockedOutClients() {
                return throttle.lockedOutClients();
            }
        };
    }
}
