package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxAnnotation;
import org.apache.james.mailbox.model.MailboxAnnotationKey;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.MaildirFolder;

/**
 * IMAP METADATA annotations of a folder, kept in {@code maildeck-annotations} inside the folder
 * directory (a properties file: Dovecot keeps its own in its dictionary, which we do not share).
 */
public final class MaildirAnnotationMapper implements AnnotationMapper {

    static final String FILE_NAME = "maildeck-annotations";

    private final MaildirMailboxes mailboxes;

    MaildirAnnotationMapper(MaildirMailboxes mailboxes) {
        this.mailboxes = mailboxes;
    }

    /**
     * The annotations file of the mailbox, or nothing once the mailbox is gone: its annotations
     * went with its directory. James's annotation listener asks for them after a DELETE, and an
     * exception here had the event retried for half a minute while the client waited for its
     * answer, then stored as a dead letter.
     */
    private Optional<Path> file(MailboxId mailboxId) {
        MaildirMailboxId id = (MaildirMailboxId) mailboxId;
        try {
            return mailboxes.nameOf(id)
                .map(name -> folder(id, name).directory().resolve(FILE_NAME));
        } catch (MailboxException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private MaildirFolder folder(MaildirMailboxId id, String name) {
        try {
            return mailboxes.folder(id.owner(), name);
        } catch (MailboxException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private TreeMap<String, String> read(MailboxId mailboxId) {
        Optional<Path> file = file(mailboxId);
        if (file.isEmpty()) {
            return new TreeMap<>();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file.get(), UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException none) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TreeMap<String, String> annotations = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> annotations.put(key, properties.getProperty(key)));
        return annotations;
    }

    private void write(MailboxId mailboxId, TreeMap<String, String> annotations) {
        Path target = file(mailboxId)
            .orElseThrow(() -> new IllegalStateException("no mailbox " + mailboxId.serialize()));
        Path temporary = target.resolveSibling(FILE_NAME + ".tmp");
        Properties properties = new Properties();
        properties.putAll(annotations);
        try {
            StringWriter text = new StringWriter();
            properties.store(text, null);
            Files.writeString(temporary, text.toString(), UTF_8);
            Durability durability = mailboxes.store().durability();
            durability.syncFile(temporary);
            durability.durableRename(temporary, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MailboxAnnotation annotation(String key, String value) {
        return MailboxAnnotation.newInstance(new MailboxAnnotationKey(key), value);
    }

    @Override
    public List<MailboxAnnotation> getAllAnnotations(MailboxId mailboxId) {
        return read(mailboxId).entrySet().stream().map(e -> annotation(e.getKey(), e.getValue())).toList();
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeys(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return getAllAnnotations(mailboxId).stream().filter(a -> keys.contains(a.getKey())).toList();
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithOneDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return getAllAnnotations(mailboxId).stream()
            .filter(a -> keys.stream().anyMatch(key -> key.isParentOrIsEqual(a.getKey())))
            .toList();
    }

    @Override
    public List<MailboxAnnotation> getAnnotationsByKeysWithAllDepth(MailboxId mailboxId, Set<MailboxAnnotationKey> keys) {
        return getAllAnnotations(mailboxId).stream()
            .filter(a -> keys.stream().anyMatch(key -> key.isAncestorOrIsEqual(a.getKey())))
            .toList();
    }

    @Override
    public synchronized void deleteAnnotation(MailboxId mailboxId, MailboxAnnotationKey key) {
        TreeMap<String, String> annotations = read(mailboxId);
        if (annotations.remove(key.asString()) != null) {
            write(mailboxId, annotations);
        }
    }

    @Override
    public synchronized void insertAnnotation(MailboxId mailboxId, MailboxAnnotation annotation) {
        TreeMap<String, String> annotations = read(mailboxId);
        if (annotation.isNil()) {
            annotations.remove(annotation.getKey().asString());
        } else {
            annotations.put(annotation.getKey().asString(), annotation.getValue().orElse(""));
        }
        write(mailboxId, annotations);
    }

    @Override
    public boolean exist(MailboxId mailboxId, MailboxAnnotation annotation) {
        return read(mailboxId).containsKey(annotation.getKey().asString());
    }

    @Override
    public int countAnnotations(MailboxId mailboxId) {
        return read(mailboxId).size();
    }
}
