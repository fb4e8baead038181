package org.maildeck.contentfilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** The message to scan, readable once per scanner (they run at the same time). */
@FunctionalInterface
public interface ScanInput {

    InputStream openStream() throws IOException;

    /**
     * Why {@code scanner} is not to look at this message (e.g. spam checks for mail from a
     * logged-in client), or empty to scan it.
     */
    default Optional<String> skipReason(String scanner) {
        return Optional.empty();
    }

    /** This input, with the scanners named in {@code reasons} skipped for the reasons given. */
    default ScanInput skipping(Map<String, String> reasons) {
        ScanInput input = this;
        Map<String, String> skipped = Map.copyOf(reasons);
        return new ScanInput() {
            @Override
            public InputStream openStream() throws IOException {
                return input.openStream();
            }

            @Override
            public Optional<String> skipReason(String scanner) {
                return Optional.ofNullable(skipped.get(scanner)).or(() -> input.skipReason(scanner));
            }
        };
    }

    static ScanInput of(byte[] content) {
        return () -> new ByteArrayInputStream(content);
    }
}
