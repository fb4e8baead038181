package org.maildeck.imap.binary;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * RFC 3516 §4.2's decoding, with the bodies of Dovecot's imaptest groups fetch-binary-mime-qp and
 * fetch-binary-mime-base64 and the sizes and bytes imaptest expects of them.
 */
class ContentTransferDecodingTest {

    private static final String QUOTED_PRINTABLE = "hello  \r\nbar=\r\n\r\nfoo\t=\r\nbar\r\nfoo\t \t= \r\n=62\r\n"
        + "foo = \t\r\nbar\r\nfoo =\r\n=62\r\nfoo  \r\nbar=\r\n\r\nfoo_bar\r\n";

    @Test
    void quotedPrintableDropsTrailingBlanksAndSoftBreaks() throws Exception {
        byte[] decoded = ContentTransferDecoding.decode(QUOTED_PRINTABLE.getBytes(US_ASCII), "quoted-printable");

        assertThat(new String(decoded, US_ASCII))
            .isEqualTo("hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nfoo b\r\nfoo\r\nbar\r\nfoo_bar\r\n")
            .hasSize(65);
    }

    @Test
    void base64SkipsWhitespaceInsideAndAroundLines() throws Exception {
        byte[] decoded = ContentTransferDecoding.decode("  aGVs    \r\n bG8g  \r\n   d29y  \t \r\n    bGQ= \r\n\r\n".getBytes(US_ASCII), "base64");

        assertThat(new String(decoded, US_ASCII)).isEqualTo("hello world");
    }

    @Test
    void base64KeepsBareCarriageReturnsAndNul() throws Exception {
        byte[] decoded = ContentTransferDecoding.decode("YWJjZGVmZw1oaWprbA0KbW5vCnBxcnN0dXZxeHl6AA==".getBytes(US_ASCII), "base64");

        assertThat(decoded).isEqualTo("abcdefg\rhijkl\r\nmno\npqrstuvqxyz\0".getBytes(US_ASCII));
    }

    @Test
    void sevenBitEightBitAndBinaryAreTheIdentity() throws Exception {
        byte[] raw = "=41 as is\r\n".getBytes(US_ASCII);

        assertThat(ContentTransferDecoding.decode(raw, "7bit")).isEqualTo(raw);
        assertThat(ContentTransferDecoding.decode(raw, "8bit")).isEqualTo(raw);
        assertThat(ContentTransferDecoding.decode(raw, "binary")).isEqualTo(raw);
        assertThat(ContentTransferDecoding.decode(raw, "")).isEqualTo(raw);
    }

    @Test
    void anOtherEncodingIsUnknown() {
        assertThatThrownBy(() -> ContentTransferDecoding.decode(new byte[0], "x-uuencode"))
            .isInstanceOf(ContentTransferDecoding.UnknownEncoding.class);
    }

    @Test
    void theEncodingIsReadFromTheMimeHeaderWhateverItsCaseFoldingAndComment() {
        byte[] header = "Content-Type: text/plain\r\ncontent-transfer-encoding:\r\n  Base64 (the usual)\r\n\r\n".getBytes(US_ASCII);

        assertThat(ContentTransferDecoding.encodingOf(header)).isEqualTo("base64");
        assertThat(ContentTransferDecoding.encodingOf("Content-Type: text/plain\r\n\r\n".getBytes(US_ASCII))).isEmpty();
    }
}
