package org.maildeck.contentfilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The message to scan, readable once per scanner (they run at the same time). */
@FunctionalInterface
public interface ScanInput {

    InputStream openStream() throws IOException;

    static ScanInput of(byte[] content) {
        return () -> new ByteArrayInputStream(content);
    }
}
