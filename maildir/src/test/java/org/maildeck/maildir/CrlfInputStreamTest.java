package org.maildeck.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {

    private static String served(String stored) throws IOException {
        try (InputStream in = new CrlfInputStream(new ByteArrayInputStream(stored.getBytes(UTF_8)))) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static long virtualSize(String stored) throws IOException {
        return CrlfInputStream.virtualSize(new ByteArrayInputStream(stored.getBytes(UTF_8)));
    }

    @Test
    void bareLfBecomesCrlf() throws IOException {
        assertThat(served("a\nb\n")).isEqualTo("a\r\nb\r\n");
    }

    @Test
    void crlfStaysCrlf() throws IOException {
        assertThat(served("a\r\nb\r\n")).isEqualTo("a\r\nb\r\n");
    }

    @Test
    void mixedLineEndsAllBecomeCrlf() throws IOException {
        assertThat(served("a\r\nb\nc\r\n\n")).isEqualTo("a\r\nb\r\nc\r\n\r\n");
    }

    @Test
    void leadingLfBecomesCrlf() throws IOException {
        assertThat(served("\nx")).isEqualTo("\r\nx");
    }

    @Test
    void virtualSizeIsTheServedLength() throws IOException {
        for (String stored : new String[] {"", "x", "a\nb\n", "a\r\nb\r\n", "a\r\nb\nc\r\n\n", "\n\n\n"}) {
            assertThat(virtualSize(stored)).as(stored).isEqualTo(served(stored).getBytes(UTF_8).length);
        }
    }

    @Test
    void byteByByteReadGivesTheSameAsBulkRead() throws IOException {
        String stored = "From: a\nSubject: b\r\n\nbody\nend";
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (InputStream in = new CrlfInputStream(new ByteArrayInputStream(stored.getBytes(UTF_8)))) {
            int b;
            while ((b = in.read()) >= 0) {
                single.write(b);
            }
        }

        assertThat(single.toString(UTF_8)).isEqualTo(served(stored));
    }

    @Test
    void lfIsNotLostAcrossSmallBufferReads() throws IOException {
        String stored = "ab\ncd\n\nef";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1];
        try (InputStream in = new CrlfInputStream(new ByteArrayInputStream(stored.getBytes(UTF_8)))) {
            int read;
            while ((read = in.read(buffer, 0, 1)) >= 0) {
                out.write(buffer, 0, read);
            }
        }

        assertThat(out.toString(UTF_8)).isEqualTo("ab\r\ncd\r\n\r\nef");
    }

    @Test
    void skipCountsServedBytes() throws IOException {
        try (InputStream in = new CrlfInputStream(new ByteArrayInputStream("a\nb".getBytes(UTF_8)))) {
            assertThat(in.skip(2)).isEqualTo(2);
            assertThat((char) in.read()).isEqualTo('\n');
        }
    }
}
