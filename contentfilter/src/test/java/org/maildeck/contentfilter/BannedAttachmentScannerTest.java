package org.maildeck.contentfilter;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

class BannedAttachmentScannerTest {

    private final BannedAttachmentScanner scanner = new BannedAttachmentScanner(BannedAttachmentRules.defaults(), Duration.ofSeconds(5));

    private static ScanInput message(String... parts) {
        StringBuilder mime = new StringBuilder("From: a@example.com\r\nTo: b@example.com\r\nSubject: test\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\n"
            + "--BOUNDARY\r\nContent-Type: text/plain\r\n\r\nHello.\r\n");
        for (String part : parts) {
            mime.append("--BOUNDARY\r\n").append(part);
        }
        mime.append("--BOUNDARY--\r\n");
        return ScanInput.of(mime.toString().getBytes(ISO_8859_1));
    }

    private static String attachment(String fileName, String contentType, byte[] content) {
        return "Content-Type: " + contentType + (fileName == null ? "" : "; name=\"" + fileName + "\"") + "\r\n"
            + (fileName == null ? "" : "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n")
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(content) + "\r\n";
    }

    private static byte[] zip(Object... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                zip.write((byte[]) namesAndContents[i + 1]);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] text(String content) {
        return content.getBytes(ISO_8859_1);
    }

    private ScannerVerdict scan(ScanInput input) throws IOException {
        return scanner.scan(input);
    }

    @Test
    void aMessageWithHarmlessAttachmentsIsClean() throws Exception {
        ScanInput input = message(attachment("report.pdf", "application/pdf", text("%PDF-1.4")),
            attachment("notes.zip", "application/zip", zip("notes.txt", text("hello"), "img/logo.png", text("png"))));

        assertThat(scan(input)).isInstanceOf(ScannerVerdict.Clean.class);
    }

    @Test
    void anExecutableAttachmentIsBannedByItsName() throws Exception {
        assertThat(scan(message(attachment("setup.exe", "application/octet-stream", text("MZ")))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "setup.exe", "name matches *.exe"));
    }

    @Test
    void aDoubleExtensionAndUpperCaseAreCaught() throws Exception {
        assertThat(scan(message(attachment("Invoice.PDF.EXE", "application/octet-stream", text("MZ")))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "Invoice.PDF.EXE", "name matches *.exe"));
    }

    @Test
    void aNameInRfc2231EncodingIsDecodedFirst() throws Exception {
        String part = "Content-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename*=UTF-8''setup%2Eexe\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(text("MZ")) + "\r\n";

        assertThat(scan(message(part))).isInstanceOf(ScannerVerdict.Banned.class);
    }

    @Test
    void aBannedTypeWithoutNameIsCaught() throws Exception {
        assertThat(scan(message(attachment(null, "application/x-msdownload", text("MZ")))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "(application/x-msdownload)", "type application/x-msdownload"));
    }

    @Test
    void anExecutableInsideAZipIsBanned() throws Exception {
        byte[] archive = zip("readme.txt", text("hi"), "bin/setup.exe", text("MZ"));

        assertThat(scan(message(attachment("files.zip", "application/zip", archive))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "files.zip/bin/setup.exe", "name matches *.exe"));
    }

    @Test
    void anExecutableInAZipInsideAZipIsBanned() throws Exception {
        byte[] inner = zip("run.bat", text("@echo off"));
        byte[] outer = zip("inner.zip", inner);

        assertThat(scan(message(attachment("outer.zip", "application/octet-stream", outer))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "outer.zip/inner.zip/run.bat", "name matches *.bat"));
    }

    @Test
    void archivesNestedDeeperThanTheLimitAreBanned() throws Exception {
        byte[] level3 = zip("c.txt", text("c"));
        byte[] level2 = zip("level3.zip", level3);
        byte[] level1 = zip("level2.zip", level2);
        BannedAttachmentScanner twoLevels = new BannedAttachmentScanner(
            new BannedAttachmentRules(List.of("*.exe"), Set.of(), 2, 1000, 1_000_000, 20), Duration.ofSeconds(5));

        assertThat(twoLevels.scan(message(attachment("level1.zip", "application/zip", level1))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "level1.zip/level2.zip/level3.zip", "archives nested deeper than 2"));
    }

    @Test
    void anArchiveWithTooManyFilesIsBanned() throws Exception {
        Object[] entries = new Object[2 * 11];
        for (int i = 0; i < 11; i++) {
            entries[2 * i] = "file" + i + ".txt";
            entries[2 * i + 1] = text("x");
        }
        BannedAttachmentScanner tenFiles = new BannedAttachmentScanner(
            new BannedAttachmentRules(List.of("*.exe"), Set.of(), 3, 10, 1_000_000, 20), Duration.ofSeconds(5));

        assertThat(tenFiles.scan(message(attachment("many.zip", "application/zip", zip(entries)))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "many.zip", "archive holds more than 10 files"));
    }

    @Test
    void anArchiveThatUnpacksBeyondTheLimitIsBanned() throws Exception {
        byte[] bomb = zip("zeros.bin", new byte[2_000_000]);
        BannedAttachmentScanner oneMegabyte = new BannedAttachmentScanner(
            new BannedAttachmentRules(List.of("*.exe"), Set.of(), 3, 1000, 1_000_000, 20), Duration.ofSeconds(5));

        assertThat(bomb.length).as("compressed").isLessThan(20_000);
        assertThat(oneMegabyte.scan(message(attachment("small.zip", "application/zip", bomb))))
            .isEqualTo(new ScannerVerdict.Banned("banned", "small.zip", "archive unpacks to more than 1000000 bytes"));
    }

    @Test
    void anExecutableInAnAttachedMessageIsBanned() throws Exception {
        String inner = "Subject: forwarded\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"INNER\"\r\n\r\n"
            + "--INNER\r\n" + attachment("tool.scr", "application/octet-stream", text("MZ")) + "--INNER--\r\n";
        String part = "Content-Type: message/rfc822\r\n\r\n" + inner;

        assertThat(scan(message(part))).isEqualTo(new ScannerVerdict.Banned("banned", "tool.scr", "name matches *.scr"));
    }

    @Test
    void aDamagedZipIsLeftToTheVirusScanner() throws Exception {
        assertThat(scan(message(attachment("broken.zip", "application/zip", text("PK\u0003\u0004 not really a zip")))))
            .isInstanceOf(ScannerVerdict.Clean.class);
    }

    @Test
    void aMultipartWithoutItsBoundaryLineIsUncheckedNotAScannerFailure() throws Exception {
        ScanInput input = ScanInput.of(("From: a@example.com\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"NEVER-USED\"\r\n\r\nno parts at all\r\n").getBytes(ISO_8859_1));

        ScannerVerdict verdict = scan(input);

        assertThat(verdict).isInstanceOf(ScannerVerdict.Unchecked.class);
        assertThat(((ScannerVerdict.Unchecked) verdict).reason()).startsWith("MIME structure not decodable: ");
    }

    @Test
    void anExecutableInAZipWithBrokenBase64IsStillFoundUpToTheBreak() throws Exception {
        String encoded = Base64.getMimeEncoder().encodeToString(zip("setup.exe", text("MZ"), "padding.txt", new byte[4096]));
        String part = "Content-Type: application/zip; name=\"files.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + encoded.substring(0, encoded.length() / 2) + "*** not base64 ***\r\n";

        assertThat(scan(message(part))).isEqualTo(new ScannerVerdict.Banned("banned", "files.zip/setup.exe", "name matches *.exe"));
    }

    /** A part of {@code levels} multiparts nested in each other, {@code innermost} the only part of the last. */
    private static String nestedMultiparts(int levels, String innermost) {
        StringBuilder nested = new StringBuilder("Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        StringBuilder closing = new StringBuilder();
        for (int level = 0; level < levels - 1; level++) {
            nested.append("--b").append(level).append("\r\nContent-Type: multipart/mixed; boundary=\"b").append(level + 1).append("\"\r\n\r\n");
            closing.insert(0, "--b" + level + "--\r\n");
        }
        int last = levels - 1;
        return nested.append("--b").append(last).append("\r\n").append(innermost).append("--b").append(last).append("--\r\n")
            .append(closing).toString();
    }

    @Test
    void multipartsNestedDeeperThanTheLimitAreBanned() throws Exception {
        String nested = nestedMultiparts(1000, "Content-Type: text/plain\r\n\r\nhello\r\n");

        assertThat(scan(message(nested)))
            .isEqualTo(new ScannerVerdict.Banned("banned", "(MIME structure)", "parts nested deeper than 20 levels"));
    }

    @Test
    void multipartsNestedUpToTheLimitAreWalked() throws Exception {
        // the message's multipart is the first level, these are the 2nd to the 20th
        String nested = nestedMultiparts(19, attachment("deep.exe", "application/octet-stream", text("MZ")));

        assertThat(scan(message(nested))).isEqualTo(new ScannerVerdict.Banned("banned", "deep.exe", "name matches *.exe"));
    }

    @Test
    void aZipInAnUnknownTransferEncodingIsUncheckedNotAScannerFailure() throws Exception {
        String part = "Content-Type: application/zip; name=\"files.zip\"\r\nContent-Transfer-Encoding: x-no-such-encoding\r\n\r\nPK\r\n";

        ScannerVerdict verdict = scan(message(part));

        assertThat(verdict).isInstanceOf(ScannerVerdict.Unchecked.class);
        assertThat(((ScannerVerdict.Unchecked) verdict).reason()).startsWith("MIME structure not decodable: ");
    }

    @Test
    void aFileNameInAnUnknownCharsetIsStillChecked() throws Exception {
        String part = "Content-Type: application/octet-stream\r\n"
            + "Content-Disposition: attachment; filename*=x-no-such-charset''setup%ZZ.exe\r\n\r\nMZ\r\n";

        assertThat(scan(message(part))).isInstanceOf(ScannerVerdict.Banned.class);
    }
}
