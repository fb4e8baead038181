package org.maildeck.mailauth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.maildeck.mailauth.greylist.Greylist;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.smtpd.ClientName;
import org.maildeck.mailets.smtpd.SessionReject;
import org.maildeck.mailets.smtpd.TrustedNetworks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greylisting at RCPT ({@link Greylist}, postgrey's model): a recipient of a triplet not seen
 * before gets {@code 451 4.7.1 Greylisted, see <see>; try again in N seconds}; a real MTA
 * retries and gets through, most spamware does not. Placed after the recipient checks so that
 * only mail that would otherwise be accepted is greylisted (and unknown recipients make no
 * rows).
 *
 * <p>Not greylisted: logged-in clients, trusted networks (relaying allowed, set by RelayPolicy at
 * HELO) and the {@code allow} networks (e.g. large senders that retry from ever-different
 * addresses). If the database fails, the mail passes (logged): greylisting is a filter, not a
 * reason to refuse mail.</p>
 *
 * <p>Parameters (seconds): {@code delay} (300, postgrey's), {@code retryWindow} (172800: two
 * days), {@code maxAge} (3024000: 35 days, postgrey's max-age), {@code autoAllowClients} (5;
 * 0 turns it off), {@code allow}, {@code see} (the reply's pointer), {@code maxPending} (100000
 * triplets awaiting their retry), {@code purgeInterval} (3600), {@code touchInterval} (86400),
 * {@code memory} (100000 entries of passed triplets and allowed clients kept in memory).</p>
 *
 * <p>Mail log, one line per decision:
 * {@code greylist=new client=unknown[192.0.2.7] from=<a@example.org> to=<b@example.com>}, then
 * the refusal's {@code NOQUEUE: reject:} line; counters {@code greylist=new|early|retried|known|client-allowed|allowed|error}.</p>
 */
public class GreylistHook implements RcptHook {

    private static final Logger LOGGER = LoggerFactory.getLogger(GreylistHook.class);

    private final EntityManagerFactory database;
    private final MailAuthCounters counters;
    private Greylist greylist;
    private TrustedNetworks allowed;
    private String see;
    private ScheduledExecutorService purger;

    @Inject
    public GreylistHook(EntityManagerFactory database, MailAuthCounters counters) {
        this.database = database;
        this.counters = counters;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            allowed = TrustedNetworks.parse(config.getString("allow", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("greylisting <allow>: " + e.getMessage(), e);
        }
        see = config.getString("see", "https://www.rfc-editor.org/rfc/rfc6647").strip();
        Greylist.Settings settings = new Greylist.Settings(seconds(config, "delay", 300), seconds(config, "retryWindow", 172_800),
            seconds(config, "maxAge", 3_024_000), config.getInt("autoAllowClients", 5), seconds(config, "touchInterval", 86_400),
            config.getInt("maxPending", 100_000), config.getInt("memory", 100_000));
        if (settings.retryWindow().compareTo(settings.delay()) <= 0) {
            throw new ConfigurationException("greylisting <retryWindow> must be longer than <delay>");
        }
        greylist = new Greylist(database, settings, Clock.systemUTC());
        long purgeInterval = seconds(config, "purgeInterval", 3600).toSeconds();
        purger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "greylist-purge");
            thread.setDaemon(true);
            return thread;
        });
        purger.scheduleWithFixedDelay(this::purge, purgeInterval, purgeInterval, TimeUnit.SECONDS);
    }

    private static Duration seconds(Configuration config, String name, long fallback) throws ConfigurationException {
        long value = config.getLong(name, fallback);
        if (value <= 0) {
            throw new ConfigurationException("greylisting <" + name + ">: must be a positive number of seconds, not " + value);
        }
        return Duration.ofSeconds(value);
    }

    @Override
    public void destroy() {
        if (purger != null) {
            purger.shutdownNow();
        }
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getUsername() != null || session.isRelayingAllowed()) {
            return HookResult.DECLINED;
        }
        String envelope = " from=<" + sender.asString("") + "> to=<" + rcpt.asString() + ">";
        if (allowed.contains(session.getRemoteAddress().getAddress())) {
            decided(session, "allowed", envelope);
            return HookResult.DECLINED;
        }
        Greylist.Outcome outcome;
        try {
            outcome = greylist.check(session.getRemoteAddress().getAddress(), sender.asString(""), rcpt.asString());
        } catch (PersistenceException | IllegalStateException e) {
            LOGGER.warn("greylisting database failed, mail from {} passes: {}", ClientName.of(session), e.getMessage());
            decided(session, "error", envelope);
            return HookResult.DECLINED;
        }
        if (greylist.purgeDue()) {
            purger.execute(this::purge);
        }
        decided(session, outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'), envelope);
        if (outcome.accepted()) {
            return HookResult.DECLINED;
        }
        return SessionReject.temporary("451", "4.7.1 Greylisted, see " + see + "; try again in a few minutes")
            .log(session, "RCPT", sender, Optional.of(rcpt));
    }

    private void decided(SMTPSession session, String outcome, String envelope) {
        counters.count("greylist=" + outcome);
        MailLog.LOGGER.info("greylist={} client={}{}", outcome, ClientName.of(session), envelope);
    }

    private void purge() {
        try {
            int deleted = greylist.purge();
            if (deleted > 0) {
                LOGGER.info("greylisting: {} expired or excess rows deleted", deleted);
            }
        } catch (RuntimeException e) {
            LOGGER.warn("greylisting: purge failed: {}", e.getMessage());
        }
    }
}
