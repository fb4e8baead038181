package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.testsupport.ManualClock;

class DkimVerificationTest {

    private static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: hello\r\n"
        + "Date: Mon, 7 Dec 2026 01:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nHello Bob.\r\n";

    @TempDir
    static Path keys;
    private static DkimKeyFile key;
    private final Map<String, Object> dns = new ConcurrentHashMap<>();
    private final PublicKeyRecordRetriever records = (method, selector, domain) -> {
        Object answer = dns.get(selector + "._domainkey." + domain);
        if (answer instanceof TempFailException timeout) {
            throw timeout;
        }
        if (answer == null) {
            throw new PermFailException("no key for signature");
        }
        return List.of((String) answer);
    };
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
    private final DkimVerification verification = new DkimVerification(records, 3, 4096, Duration.ofSeconds(20), clock);

    @BeforeAll
    static void makeKey() throws Exception {
        key = DkimKeyFile.generate(keys, "example.org", "mail", 1024);
    }

    private static MimeMessage message(String text) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String signed(String text) throws Exception {
        MimeMessage message = message(text);
        HeaderEdits.prepend(message, new DkimSigning(DkimSigning.DEFAULT_HEADERS).signatureField(message, key));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The signed message with its signature's {@code h=} replaced (not {@code bh=}). */
    private static String withSignedFields(String signedMessage, String names) {
        return signedMessage.replaceFirst("([;\\s])h=[^;]*;", "$1h=" + names + ";");
    }

    private DkimResult only(String text) throws Exception {
        List<DkimResult> results = verification.verify(message(text));
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    @Test
    void anUnsignedMessageIsNone() throws Exception {
        assertThat(only(MESSAGE).resinfo()).isEqualTo("dkim=none");
    }

    @Test
    void ourSignatureVerifiesWithThePublishedKey() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());

        DkimResult result = only(signed(MESSAGE));

        assertThat(result.result()).isEqualTo("pass");
        assertThat(result.resinfo()).matches("dkim=pass header\\.d=example\\.org header\\.s=mail header\\.b=[A-Za-z0-9+/]{8}");
    }

    @Test
    void aBodyChangedAfterSigningFails() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());

        DkimResult result = only(signed(MESSAGE).replace("Hello Bob.", "Hello Eve."));

        assertThat(result.result()).isEqualTo("fail");
    }

    @Test
    void aSignedHeaderChangedAfterSigningFails() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());

        assertThat(only(signed(MESSAGE).replace("Subject: hello", "Subject: pay now")).result()).isEqualTo("fail");
    }

    @Test
    void aKeyThatIsNotPublishedIsPermerror() throws Exception {
        assertThat(only(signed(MESSAGE)).result()).isEqualTo("permerror");
    }

    @Test
    void aDnsTimeoutIsTemperror() throws Exception {
        dns.put("mail._domainkey.example.org", new TempFailException("timed out"));

        assertThat(only(signed(MESSAGE)).result()).isEqualTo("temperror");
    }

    @Test
    void aKeyLargerThanTheLimitIsPermerror() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        dns.put("mail._domainkey.example.org", "v=DKIM1; k=rsa; p="
            + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded()));
        DkimVerification smallLimit = new DkimVerification(records, 3, 1024, Duration.ofSeconds(20), clock);

        DkimResult result = smallLimit.verify(message(signed(MESSAGE))).get(0);

        assertThat(result.result()).isEqualTo("permerror");
        assertThat(result.reason()).hasValueSatisfying(why -> assertThat(why).contains("2048 bits refused"));
    }

    @Test
    void aMalformedSignatureIsPermerrorWithWhatItNamed() throws Exception {
        DkimResult result = only("DKIM-Signature: v=1; d=example.org; s=mail; b=\"; h=\r\n" + MESSAGE);

        assertThat(result.result()).isEqualTo("permerror");
        assertThat(result.domain()).contains("example.org");
        assertThat(result.resinfo()).doesNotContain("\"\"", "\r", "\n").startsWith("dkim=permerror reason=\"");
    }

    @Test
    void aSignatureOverThousandsOfHeaderFieldsIsPermerrorWithoutBeingChecked() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());
        String many = "received:".repeat(5000) + "from";
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            headers.append("Received: from relay").append(i).append(".example.net\r\n");
        }

        DkimResult result = only(withSignedFields(signed(MESSAGE), many));
        DkimResult withFields = only(withSignedFields(signed(headers + MESSAGE), many));

        assertThat(result.result()).isEqualTo("permerror");
        assertThat(result.resinfo()).contains("signs 5001 header fields, more than " + DkimVerification.MAX_SIGNED_FIELDS);
        assertThat(withFields.result()).isEqualTo("permerror");
    }

    @Test
    void aSha1SignatureIsPermerror() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());

        assertThat(only(signed(MESSAGE).replace("a=rsa-sha256", "a=rsa-sha1")).result()).isEqualTo("permerror");
    }

    @Test
    void onlyTheFirstSignaturesUpToTheLimitAreChecked() throws Exception {
        String garbage = "DKIM-Signature: v=1; d=example.org; s=x; junk\r\n";

        List<DkimResult> results = verification.verify(message(garbage.repeat(50) + MESSAGE));

        assertThat(results).hasSize(3);
    }

    @Test
    void noKeyLookupStartsOnceTheTimeLimitPassed() throws Exception {
        PublicKeyRecordRetriever slowDns = (method, selector, domain) -> {
            clock.advance(Duration.ofSeconds(25));
            return List.of(key.recordText());
        };
        String signedTwice = signed(signed(MESSAGE));

        List<DkimResult> results = new DkimVerification(slowDns, 3, 4096, Duration.ofSeconds(20), clock).verify(message(signedTwice));

        assertThat(results).extracting(DkimResult::result).containsExactly("pass", "temperror");
        assertThat(results.get(1).reason()).contains("time limit of the DKIM checks reached");
    }

    @Test
    void eachSignatureHasItsOwnResult() throws Exception {
        dns.put("mail._domainkey.example.org", key.recordText());

        List<DkimResult> results = verification.verify(message("DKIM-Signature: v=1; d=other.example; s=s; junk\r\n" + signed(MESSAGE)));

        assertThat(results).extracting(DkimResult::result).containsExactly("permerror", "pass");
    }
}
