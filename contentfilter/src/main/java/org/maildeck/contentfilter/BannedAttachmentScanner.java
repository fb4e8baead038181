package org.maildeck.contentfilter;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

/**
 * The banned-attachment check as a scanner on the route ({@link BannedAttachmentRules}): walks
 * the MIME tree (nested messages included) and the files inside zip archives, without writing
 * anything to disk. The first offending part makes the verdict.
 * <p>
 * A MIME structure that cannot be decoded (a multipart without its boundary line, say) is the
 * sender's doing, not a fault of the scanner: the verdict is "unchecked", as amavisd's
 * "undecipherable", and clamd still scans the raw message. Counting it as a failure would defer
 * such mail for days and let a few of them open the scanner's circuit for everyone's mail.
 * Broken base64 is decoded as far as it goes, as mail clients do. Only a failure to read the
 * message at all is the scanner's failure.
 */
public final class BannedAttachmentScanner extends NamedScanner {

    public static final String NAME = "banned";
    private static final Session SESSION = Session.getInstance(lenientDecoding());

    private final BannedAttachmentRules rules;

    public BannedAttachmentScanner(BannedAttachmentRules rules, Duration timeout) {
        super(NAME, timeout);
        this.rules = rules;
    }

    /** The MIME tree and archives are walked in memory, within the rules' limits. */
    @Override
    public boolean limitsItsOwnTime() {
        return true;
    }

    @Override
    public ScannerVerdict scan(ScanInput message) throws IOException {
        MimeMessage parsed;
        try (InputStream content = message.openStream()) {
            parsed = new MimeMessage(SESSION, content);
        } catch (MessagingException e) {
            if (e.getCause() instanceof IOException unreadable) {
                throw unreadable;
            }
            return undecodable(e);
        }
        try {
            return inspect(parsed, 0).orElse(new ScannerVerdict.Clean(NAME, "Maildeck banned files"));
        } catch (MessagingException | IOException | RuntimeException e) {
            // the message is in memory: whatever the walk throws, javax.mail's parser or decoders
            // choked on the sender's bytes (unknown encodings and charsets, broken parameters)
            return undecodable(e);
        }
    }

    private static ScannerVerdict undecodable(Exception e) {
        return new ScannerVerdict.Unchecked(NAME, "MIME structure not decodable: "
            + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
    }

    private static Properties lenientDecoding() {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.base64.ignoreerrors", "true");
        return properties;
    }

    /** {@code depth}: the multiparts and attached messages around {@code part}. */
    private Optional<ScannerVerdict> inspect(Part part, int depth) throws MessagingException, IOException {
        boolean container = part.isMimeType("multipart/*") || part.isMimeType("message/rfc822");
        if (container && depth >= rules.maxMimeDepth()) {
            return banned("(MIME structure)", "parts nested deeper than " + rules.maxMimeDepth() + " levels");
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<ScannerVerdict> verdict = inspect(child, depth + 1);
                if (verdict.isPresent()) {
                    return verdict;
                }
            }
            return Optional.empty();
        }
        if (part.isMimeType("message/rfc822") && part.getContent() instanceof MimeMessage nested) {
            return inspect(nested, depth + 1);
        }
        String fileName = Optional.ofNullable(part.getFileName()).orElse("");
        String contentType = Optional.ofNullable(part.getContentType()).orElse("");
        Optional<String> pattern = fileName.isEmpty() ? Optional.empty() : rules.bannedName(fileName);
        if (pattern.isPresent()) {
            return banned(fileName, "name matches " + pattern.get());
        }
        if (rules.bannedType(contentType)) {
            return banned(fileName.isEmpty() ? "(" + contentType.split(";", 2)[0] + ")" : fileName, "type " + contentType.split(";", 2)[0].trim());
        }
        if (isZip(fileName, contentType)) {
            try (InputStream zip = part.getInputStream()) {
                return new ArchiveWalk().inspect(zip, fileName.isEmpty() ? "(zip)" : fileName, 1);
            }
        }
        return Optional.empty();
    }

    private static boolean isZip(String fileName, String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return fileName.toLowerCase(Locale.ROOT).endsWith(".zip")
            || type.startsWith("application/zip") || type.startsWith("application/x-zip");
    }

    private Optional<ScannerVerdict> banned(String part, String reason) {
        return Optional.of(new ScannerVerdict.Banned(NAME, part, reason));
    }

    /** One zip archive of the message; the limits count over it and the archives inside it. */
    private final class ArchiveWalk {

        private int entries;
        private long expanded;

        Optional<ScannerVerdict> inspect(InputStream stream, String archivePath, int depth) throws IOException {
            ZipInputStream zip = new ZipInputStream(stream);
            try {
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    String path = archivePath + "/" + entry.getName();
                    if (++entries > rules.maxArchiveEntries()) {
                        return banned(archivePath, "archive holds more than " + rules.maxArchiveEntries() + " files");
                    }
                    Optional<String> pattern = rules.bannedName(entry.getName());
                    if (pattern.isPresent()) {
                        return banned(path, "name matches " + pattern.get());
                    }
                    if (entry.isDirectory()) {
                        continue;
                    }
                    if (entry.getName().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                        if (depth >= rules.maxArchiveDepth()) {
                            return banned(path, "archives nested deeper than " + rules.maxArchiveDepth());
                        }
                        Optional<ScannerVerdict> nested = inspect(zip, path, depth + 1);
                        if (nested.isPresent()) {
                            return nested;
                        }
                    } else if (!countExpanded(zip)) {
                        return banned(archivePath, "archive unpacks to more than " + rules.maxExpandedBytes() + " bytes");
                    }
                }
            } catch (ZipException e) {
                // encrypted or damaged: the names seen so far were checked; clamd judges the rest
            }
            return Optional.empty();
        }

        /** Reads through the current entry; false once the archive unpacks to more than allowed. */
        private boolean countExpanded(InputStream entry) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = entry.read(buffer)) > 0) {
                expanded += read;
                if (expanded > rules.maxExpandedBytes()) {
                    return false;
                }
            }
            return true;
        }
    }
}
