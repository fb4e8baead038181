package org.maildeck.mailauth;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.smtpd.ClientName;
import org.maildeck.mailets.smtpd.SessionReject;
import org.maildeck.mailets.smtpd.TrustedNetworks;

/**
 * DNS blocklists (RFC 5782), Postfix's reject_rbl_client with postscreen's weights: the client's
 * address is looked up in each configured {@link DnsblZone} ({@link DnsblLookup}, all at once,
 * with a bounded wait) and refused when a zone without a score lists it, or when the scores of
 * the zones that list it reach {@code threshold}:
 * {@code 554 5.7.1 Service unavailable; client [192.0.2.7] blocked using bl.example.org}.
 *
 * <p>Decided at the first RCPT and refused at every RCPT, as Postfix does by default
 * (smtpd_delay_reject): by then a client has had its chance to log in (a roaming user on a
 * listed dial-up address is not refused, which postscreen's refusal at connect cannot offer),
 * the refusal's log line names sender and recipient, and a client that never gets to RCPT costs
 * no DNS query. The lookups are done once per connection.</p>
 *
 * <p>Not checked: logged-in clients, trusted networks (the session's "relaying allowed", set by
 * RelayPolicy at HELO, which comes before this handler) and the {@code allow} networks. A zone
 * that times out, answers SERVFAIL or garbage never refuses: the check goes on without it and
 * the mail log says so.</p>
 *
 * <p>James's own DNSRBLHandler was not reused: its lookup answers only listed/not listed (no
 * return-code filter, no scores, a timeout indistinguishable from "not listed" so it cannot be
 * logged), it reverses IPv6 addresses wrongly (by dots), its refusal is at MAIL with its own
 * text, and the parts that would need replacing (the check and its reply) are the whole class.</p>
 *
 * <p>Mail log, one line per checked connection, e.g.
 * {@code dnsbl=listed client=unknown[192.0.2.7] score=3/3 listed=bl.example.org[127.0.0.2]},
 * and the usual {@code NOQUEUE: reject:} line for each refused recipient. Counters
 * {@code dnsbl=pass|listed|below-threshold|temperror|allowed} per check, {@code dnsbl-refused}
 * per refused recipient.</p>
 */
public class DnsblHook implements RcptHook {

    private static final ProtocolSession.AttachmentKey<Verdict> KEY = ProtocolSession.AttachmentKey.of("maildeck.dnsbl", Verdict.class);

    /** A connection's outcome: the zone named in the refusal, when refused. */
    record Verdict(Optional<String> blockedBy) {
    }

    private final DNSService dns;
    private final MailAuthCounters counters;
    private List<DnsblZone> zones = List.of();
    private int threshold;
    private TrustedNetworks allowed;
    private DnsblLookup lookup;

    @Inject
    public DnsblHook(DNSService dns, MailAuthCounters counters) {
        this.dns = dns;
        this.counters = counters;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(Configuration config) throws ConfigurationException {
        zones = DnsblZone.from((HierarchicalConfiguration<ImmutableNode>) config);
        threshold = config.getInt("threshold", 1);
        if (threshold < 1) {
            throw new ConfigurationException("DNS blocklist <threshold> must be at least 1, not " + threshold);
        }
        try {
            allowed = TrustedNetworks.parse(config.getString("allow", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("DNS blocklist <allow>: " + e.getMessage(), e);
        }
        long timeoutMillis = config.getLong("timeoutMillis", 10_000);
        if (timeoutMillis <= 0) {
            throw new ConfigurationException("DNS blocklist <timeoutMillis> must be positive");
        }
        lookup = new DnsblLookup(SpfDns.Lookup.of(dns), Duration.ofMillis(timeoutMillis), config.getInt("lookupThreads", 16));
    }

    @Override
    public void destroy() {
        if (lookup != null) {
            lookup.close();
        }
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (zones.isEmpty() || session.getUsername() != null || session.isRelayingAllowed()) {
            return HookResult.DECLINED;
        }
        Verdict verdict = session.getAttachment(KEY, ProtocolSession.State.Connection).orElseGet(() -> {
            Verdict checked = check(session);
            session.setAttachment(KEY, checked, ProtocolSession.State.Connection);
            return checked;
        });
        return verdict.blockedBy().map(zone -> {
            counters.count("dnsbl-refused");
            String ip = session.getRemoteAddress().getAddress().getHostAddress();
            return SessionReject.permanent("554", "5.7.1 Service unavailable; client [" + ip + "] blocked using " + zone)
                .log(session, "RCPT", sender, Optional.of(rcpt));
        }).orElse(HookResult.DECLINED);
    }

    private Verdict check(SMTPSession session) {
        InetAddress client = session.getRemoteAddress().getAddress();
        if (allowed.contains(client)) {
            decided(session, "allowed", "");
            return new Verdict(Optional.empty());
        }
        DnsblLookup.Result result = lookup.lookup(client, zones);
        int score = result.listed().keySet().stream().mapToInt(zone -> zone.score().orElse(0)).sum();
        Optional<DnsblZone> rejecting = result.listed().keySet().stream().filter(DnsblZone::rejects).findFirst();
        Optional<DnsblZone> blocking = rejecting.or(() -> score >= threshold
            ? result.listed().keySet().stream().max(Comparator.comparing(zone -> zone.score().orElse(0)))
            : Optional.empty());
        String details = " score=" + score + "/" + threshold
            + (result.listed().isEmpty() ? "" : " listed=" + result.listed().entrySet().stream()
                .map(entry -> entry.getKey().name() + "[" + entry.getValue().getHostAddress() + "]").collect(Collectors.joining(",")))
            + (result.failed().isEmpty() ? "" : " failed=" + result.failed().entrySet().stream()
                .map(entry -> entry.getKey().name() + "(" + entry.getValue() + ")").collect(Collectors.joining(",")));
        String outcome;
        if (blocking.isPresent()) {
            outcome = "listed";
        } else if (!result.failed().isEmpty()) {
            outcome = "temperror";
        } else if (!result.listed().isEmpty()) {
            outcome = "below-threshold";
        } else {
            outcome = "pass";
        }
        decided(session, outcome, details);
        return new Verdict(blocking.map(DnsblZone::name));
    }

    private void decided(SMTPSession session, String outcome, String details) {
        counters.count("dnsbl=" + outcome);
        MailLog.LOGGER.info("dnsbl={} client={}{}", outcome, ClientName.of(session), details);
    }
}
