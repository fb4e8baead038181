package org.maildeck.mailauth;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import com.google.common.base.Splitter;
import com.google.common.net.InetAddresses;

/**
 * One DNS blocklist zone of {@link DnsblHook}, as configured:
 * {@code <zone score="2" codes="127.0.0.2 127.0.0.3">bl.example.org</zone>}. Without
 * {@code score} a listing refuses on its own (Postfix's reject_rbl_client); with it, the scores
 * of the zones that list a client are summed against the hook's threshold (postscreen's
 * {@code postscreen_dnsbl_sites} weights). {@code codes} keeps only those answers (Postfix's
 * {@code zone=127.0.0.2} filter, e.g. for a combined list whose codes mean different things);
 * without it any answer in 127.0.0.0/8 lists.
 *
 * <p>An answer outside 127.0.0.0/8 is not a listing (RFC 5782 2.1 says answers are there; a
 * wildcarding or hijacked resolver answers with a real address), nor is one in
 * 127.255.255.0/24, which Spamhaus answers to say it refuses the query (an open resolver, over
 * quota): it is an error of the list, not a verdict on the client.</p>
 */
record DnsblZone(String name, Optional<Integer> score, Set<InetAddress> codes) {

    private static final Pattern ZONE_NAME = Pattern.compile("(?i)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)+");

    static List<DnsblZone> from(HierarchicalConfiguration<ImmutableNode> config) throws ConfigurationException {
        List<DnsblZone> zones = new ArrayList<>();
        for (HierarchicalConfiguration<ImmutableNode> zone : config.configurationsAt("zone")) {
            zones.add(parse(zone.getString("", "").strip(), zone.getString("[@score]", null), zone.getString("[@codes]", "")));
        }
        return zones;
    }

    static DnsblZone parse(String name, String score, String codes) throws ConfigurationException {
        String zone = name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (!ZONE_NAME.matcher(zone).matches()) {
            throw new ConfigurationException("DNS blocklist <zone>: '" + name + "' is not a domain name");
        }
        Optional<Integer> weight = Optional.empty();
        if (score != null) {
            try {
                weight = Optional.of(Integer.parseInt(score.strip()));
            } catch (NumberFormatException e) {
                throw new ConfigurationException("DNS blocklist <zone score> of " + zone + ": '" + score + "' is not a whole number");
            }
        }
        Set<InetAddress> filter = new LinkedHashSet<>();
        for (String code : Splitter.onPattern("[,\\s]+").omitEmptyStrings().split(codes)) {
            if (!InetAddresses.isInetAddress(code)) {
                throw new ConfigurationException("DNS blocklist <zone codes> of " + zone + ": '" + code + "' is not an address");
            }
            filter.add(InetAddresses.forString(code));
        }
        return new DnsblZone(zone, weight, Set.copyOf(filter));
    }

    boolean rejects() {
        return score.isEmpty();
    }

    /** The answer that lists the client, among a lookup's A records, if any. */
    Optional<InetAddress> listing(List<InetAddress> answers) {
        return answers.stream().filter(DnsblZone::isListingCode)
            .filter(answer -> codes.isEmpty() || codes.contains(answer))
            .findFirst();
    }

    /** True for an answer in 127.0.0.0/8 other than the lists' error codes in 127.255.255.0/24. */
    static boolean isListingCode(InetAddress answer) {
        byte[] bytes = answer.getAddress();
        return bytes.length == 4 && bytes[0] == 127 && !(bytes[1] == (byte) 255 && bytes[2] == (byte) 255);
    }
}
