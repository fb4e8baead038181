package org.maildeck.mailauth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * The CPU cost of DKIM per message, for bench/dkim-cost (not a test: run by its main): signing
 * one outbound message ({@link DkimSigning#signatureField}, rsa-sha256 with a key of the given
 * size, relaxed/relaxed over the default header set) and checking one signature on arrival
 * ({@link DkimVerification#verify}, the key record from memory: the DNS is not timed). The
 * message of {@code size} bytes is parsed once per round, outside the timing. Prints the median
 * and mean in microseconds after a warm-up of the same length.
 *
 * <p>Arguments: {@code N} (messages, default 2000), {@code size} (bytes, default 4000),
 * {@code bits} (default 2048).</p>
 */
public final class DkimCostBench {

    private DkimCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int bits = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
        Path keys = Files.createTempDirectory("dkim-bench");
        DkimKeyFile key = DkimKeyFile.generate(keys, "bench.test", "mail", bits);
        String body = "x".repeat(70) + "\r\n";
        String text = "From: Sender <sender@bench.test>\r\nTo: <inbox@elsewhere.test>\r\nSubject: bench\r\n"
            + "Date: Mon, 7 Dec 2026 05:00:00 +0000\r\nMessage-ID: <bench@bench.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body.repeat(Math.max(1, size / body.length()));
        DkimSigning signing = new DkimSigning(DkimSigning.DEFAULT_HEADERS);
        DkimVerification verification = new DkimVerification((method, selector, domain) -> List.of(key.recordText()),
            5, 4096, Duration.ofSeconds(20), Clock.systemUTC());
        MimeMessage sample = parse(text);
        HeaderEdits.prepend(sample, signing.signatureField(sample, key));
        var out = new java.io.ByteArrayOutputStream();
        sample.writeTo(out);
        String signed = out.toString(StandardCharsets.ISO_8859_1);
        if (!verification.verify(parse(signed)).get(0).result().equals("pass")) {
            throw new IllegalStateException("the bench's own signature does not verify");
        }
        for (int round = 0; round < 2; round++) {
            long[] sign = new long[n];
            long[] verify = new long[n];
            for (int i = 0; i < n; i++) {
                MimeMessage message = parse(text);
                long t0 = System.nanoTime();
                signing.signatureField(message, key);
                sign[i] = System.nanoTime() - t0;
                MimeMessage arriving = parse(signed);
                long t1 = System.nanoTime();
                verification.verify(arriving);
                verify[i] = System.nanoTime() - t1;
            }
            if (round == 1) {
                System.out.printf(Locale.ROOT, "dkim-cost: N=%d size=%d bytes rsa-%d; load %.2f (1 min) on %d CPUs%n", n, text.length(), bits,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
                System.out.println(line("signing per outbound message", sign));
                System.out.println(line("verification per signature (no DNS)", verify));
                System.out.printf(Locale.ROOT, "bench: dkim-cost N=%d bits=%d sign_us=%.0f verify_us=%.0f%n", n, bits, median(sign) / 1e3, median(verify) / 1e3);
            }
        }
    }

    private static MimeMessage parse(String text) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String line(String what, long[] nanos) {
        return String.format(Locale.ROOT, "  %-38s median %.0f us, mean %.0f us", what, median(nanos) / 1e3, Arrays.stream(nanos).average().orElse(0) / 1e3);
    }
}
