package org.maildeck.mailauth;

import java.io.IOException;
import java.io.OutputStream;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.BodyHasher;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.PublicKeyRecord;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.canon.CompoundOutputStream;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.apache.james.jdkim.mailets.CRLFOutputStream;
import org.apache.james.jdkim.mailets.HeaderSkippingOutputStream;
import org.apache.james.jdkim.tagvalue.PublicKeyRecordImpl;
import org.apache.james.jdkim.tagvalue.SignatureRecordImpl;

/**
 * Checks a message's DKIM signatures, one result per signature (RFC 6376 6, RFC 8601 2.7.1).
 *
 * <p>The checking is jDKIM's ({@link DKIMVerifier}). What it adds, and why jDKIM's own entry
 * points are not used as they are: jDKIM's {@code verify} returns only the signatures that passed
 * and folds the failures into one exception, while Authentication-Results needs each
 * signature's outcome; so each signature is given to jDKIM alone (a view of the headers showing that
 * one DKIM-Signature field), and the body is still read once, into every signature's body hasher.
 * The work is bounded: at most {@code maxSignatures} signatures are checked (the others are not
 * looked at, as RFC 6376 6.1 allows), keys outside 1024 to {@code maxKeyBits} bits are refused
 * (RFC 8301: smaller ones are too weak; larger ones cost the verifier without need), as are
 * rsa-sha1 signatures (RFC 8301 3.1), key records are fetched through {@link DkimKeyRecords}, and
 * no key lookup starts once {@code maxTime} has passed (each may wait for the resolver's timeouts;
 * the signatures left are temperror).</p>
 *
 * <p>jDKIM reports every non-temporary problem as a {@code PermFailException}; a signature
 * that does not match the headers or the body is told apart by its message ({@link #FAIL_MESSAGES}):
 * that one is {@code fail}, the rest (malformed signature, no key, refused key) {@code permerror}.</p>
 */
final class DkimVerification {

    private static final String SIGNATURE_FIELD = "DKIM-Signature";
    private static final List<String> FAIL_MESSAGES = List.of("Header signature does not verify",
        "Computed bodyhash is different from the expected one");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_.-]{1,253}");
    private static final Pattern BASE64_START = Pattern.compile("[A-Za-z0-9+/]{8}");
    /**
     * Signed header fields a signature may list ({@code h=}). A real one lists a few dozen, twice
     * that when it signs absent fields against additions; jDKIM looks each name up among all the
     * message's fields, so thousands of names over thousands of fields would cost their product.
     */
    static final int MAX_SIGNED_FIELDS = 256;

    private final BoundedVerifier verifier;
    private final int maxSignatures;
    private final Duration maxTime;
    private final Clock clock;

    /** An integer parameter of the mailet or the SMTP hook that checks signatures, or its default. */
    interface Parameters {
        int get(String name, int fallback);
    }

    /** A verification with the keys from {@code dns} and the bounds the parameters {@code maxKeyRecordLength}, {@code maxSignatures}, {@code maxKeyBits} and {@code maxSeconds} set. */
    static DkimVerification configured(DNSService dns, Parameters parameters) {
        return new DkimVerification(new DkimKeyRecords(dns, parameters.get("maxKeyRecordLength", 2048)),
            parameters.get("maxSignatures", 5), parameters.get("maxKeyBits", 4096),
            Duration.ofSeconds(parameters.get("maxSeconds", 20)), Clock.systemUTC());
    }

    DkimVerification(PublicKeyRecordRetriever keyRecords, int maxSignatures, int maxKeyBits, Duration maxTime, Clock clock) {
        this.verifier = new BoundedVerifier(keyRecords, maxKeyBits);
        this.maxSignatures = maxSignatures;
        this.maxTime = maxTime;
        this.clock = clock;
    }

    /** One result per signature checked, in the message's order; {@link DkimResult#NONE} alone for an unsigned message. */
    List<DkimResult> verify(MimeMessage message) throws MessagingException {
        if (message.getHeader(SIGNATURE_FIELD) == null) {
            // most mail: no copy of every header field by name, as below, to find none
            return List.of(DkimResult.NONE);
        }
        Headers headers = new MessageHeaderFields(message);
        List<String> signatures = headers.getFields(SIGNATURE_FIELD);
        if (signatures.isEmpty()) {
            return List.of(DkimResult.NONE);
        }
        // By position: two identical fields are two signatures.
        List<String> checked = signatures.subList(0, Math.min(maxSignatures, signatures.size()));
        DkimResult[] results = new DkimResult[checked.size()];
        Map<Integer, BodyHasher> hashing = new LinkedHashMap<>();
        Instant deadline = clock.instant().plus(maxTime);
        for (int i = 0; i < checked.size(); i++) {
            if (!clock.instant().isBefore(deadline)) {
                // Each key lookup may wait for the resolver's timeouts: the later signatures are left for a retry.
                results[i] = result("temperror", checked.get(i), Optional.of("time limit of the DKIM checks reached"));
                continue;
            }
            int signedFields = signedFieldCount(checked.get(i));
            if (signedFields > MAX_SIGNED_FIELDS) {
                results[i] = result("permerror", checked.get(i),
                    Optional.of("signs " + signedFields + " header fields, more than " + MAX_SIGNED_FIELDS));
                continue;
            }
            try {
                hashing.put(i, verifier.newBodyHasher(alone(headers, checked.get(i))));
            } catch (FailException e) {
                results[i] = failed(checked.get(i), e);
            }
        }
        if (!hashing.isEmpty()) {
            hashBody(message, hashing.values());
        }
        hashing.forEach((i, bodyHasher) -> {
            try {
                verifier.verify(bodyHasher);
                results[i] = result("pass", checked.get(i), Optional.empty());
            } catch (FailException e) {
                results[i] = failed(checked.get(i), e);
            }
        });
        return List.of(results);
    }

    private static void hashBody(MimeMessage message, Iterable<BodyHasher> hashing) throws MessagingException {
        List<OutputStream> outputs = new ArrayList<>();
        hashing.forEach(bodyHasher -> outputs.add(bodyHasher.getOutputStream()));
        try (OutputStream body = new CRLFOutputStream(new HeaderSkippingOutputStream(new CompoundOutputStream(outputs)))) {
            message.writeTo(body);
        } catch (IOException e) {
            throw new MessagingException("DKIM body hash: " + e.getMessage(), e);
        }
    }

    /** The headers with one DKIM-Signature field only: jDKIM checks every one it sees. */
    private static Headers alone(Headers headers, String signature) {
        return new Headers() {
            @Override
            public List<String> getFields() {
                return headers.getFields();
            }

            @Override
            public List<String> getFields(String name) {
                return "dkim-signature".equalsIgnoreCase(name) ? List.of(signature) : headers.getFields(name);
            }
        };
    }

    private static DkimResult failed(String signature, FailException e) {
        String why = e.getMessage() == null ? "unknown" : e.getMessage();
        String result = e instanceof TempFailException ? "temperror"
            : FAIL_MESSAGES.stream().anyMatch(why::startsWith) ? "fail" : "permerror";
        // Quoted in the header: nothing that could end the quoted string, and not too long.
        String safe = why.replaceAll("[^A-Za-z0-9 .,:=/()+-]", "").strip();
        return result(result, signature, Optional.of(safe.substring(0, Math.min(100, safe.length()))));
    }

    /** The result with what the signature says of itself, each part only when it reads as it should. */
    private static DkimResult result(String result, String signature, Optional<String> reason) {
        Map<String, String> tags = tags(signature);
        return new DkimResult(result,
            Optional.ofNullable(tags.get("d")).filter(d -> DOMAIN.matcher(d).matches()).map(d -> d.toLowerCase(Locale.ROOT)),
            Optional.ofNullable(tags.get("s")).filter(s -> DOMAIN.matcher(s).matches()),
            Optional.ofNullable(tags.get("b")).map(b -> b.replaceAll("\\s", ""))
                .filter(b -> b.length() >= 8 && BASE64_START.matcher(b.substring(0, 8)).matches()).map(b -> b.substring(0, 8)),
            reason.filter(why -> !why.isEmpty()));
    }

    /** How many names the signature's {@code h=} lists (0 without one: jDKIM refuses that itself). */
    private static int signedFieldCount(String signature) {
        String names = tags(signature).get("h");
        if (names == null || names.isBlank()) {
            return 0;
        }
        int count = 1;
        for (int i = 0; i < names.length(); i++) {
            if (names.charAt(i) == ':') {
                count++;
            }
        }
        return count;
    }

    /** The tags of a DKIM-Signature field, read leniently (a malformed field still shows its d= and s=). */
    private static Map<String, String> tags(String field) {
        Map<String, String> tags = new LinkedHashMap<>();
        int colon = field.indexOf(':');
        for (String part : field.substring(colon + 1).split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                tags.putIfAbsent(part.substring(0, equals).strip(), part.substring(equals + 1).strip());
            }
        }
        return tags;
    }

    /** jDKIM's verifier, refusing weak or oversized keys and rsa-sha1. */
    private static final class BoundedVerifier extends DKIMVerifier {

        private final int maxKeyBits;

        BoundedVerifier(PublicKeyRecordRetriever keyRecords, int maxKeyBits) {
            super(keyRecords);
            this.maxKeyBits = maxKeyBits;
        }

        @Override
        public SignatureRecord newSignatureRecord(String record) {
            return new SignatureRecordImpl(record) {
                @Override
                public void validate() {
                    super.validate();
                    if (!"sha256".equalsIgnoreCase(getHashMethod().toString())) {
                        throw new IllegalStateException("a=" + getHashKeyType() + "-" + getHashMethod() + " is not accepted (RFC 8301)");
                    }
                }
            };
        }

        @Override
        protected PublicKeyRecord newPublicKeyRecord(String record) {
            return new PublicKeyRecordImpl(record) {
                @Override
                public void validate() {
                    super.validate();
                    PublicKey key = getPublicKey();
                    int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
                    if (bits < 1024 || bits > maxKeyBits) {
                        throw new IllegalStateException("key of " + bits + " bits refused (1024 to " + maxKeyBits + ")");
                    }
                }
            };
        }
    }
}
