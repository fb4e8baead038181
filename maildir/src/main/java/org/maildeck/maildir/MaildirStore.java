package org.maildeck.maildir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.maildeck.durability.Durability;
import org.maildeck.durability.FsyncListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All users' Maildirs under one root. Hands out one {@link MaildirFolder} per folder directory
 * (so that one process never has two views of a folder), creates, renames and deletes folders,
 * and keeps idle folders' indexes from growing the heap without bound.
 */
public final class MaildirStore {

    private static final Logger LOGGER = LoggerFactory.getLogger(MaildirStore.class);
    private static final String MAILDIRFOLDER_MARKER = "maildirfolder";

    private final MaildirLayout layout;
    private final String host;
    private final Durability durability;
    private final List<String> defaultFolders;
    private final Map<Path, MaildirFolder> folders = new ConcurrentHashMap<>();
    /** Folders' directories by user and folder name ({@link #folderDirectory}); emptied when full. */
    private final Map<FolderName, Path> directories = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_DIRECTORIES = 10_000;
    private final Map<Path, DovecotSubscriptions> subscriptions = new ConcurrentHashMap<>();

    public MaildirStore(Path root) {
        this(root, List.of(), FsyncListener.NONE);
    }

    /**
     * {@code defaultFolders}: created and subscribed when a user's Maildir is created;
     * {@code fsyncs}: told how long each of the store's fsyncs took.
     */
    public MaildirStore(Path root, List<String> defaultFolders, FsyncListener fsyncs) {
        this(root, defaultFolders, localHostName(), fsyncs);
    }

    public MaildirStore(Path root, List<String> defaultFolders, String host, FsyncListener fsyncs) {
        this.layout = new MaildirLayout(root);
        this.host = host;
        this.durability = new Durability(fsyncs);
        this.defaultFolders = List.copyOf(defaultFolders);
        defaultFolders.forEach(MaildirLayout::checkFolderName);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public MaildirLayout layout() {
        return layout;
    }

    public Path root() {
        return layout.root();
    }

    /** How the store makes its files durable; anything writing into a Maildir uses the same. */
    public Durability durability() {
        return durability;
    }

    public Path userMaildir(String username) {
        return layout.userMaildir(username);
    }

    /** The folder object for a folder name; nothing is read or created yet. */
    public MaildirFolder folder(String username, String folderName) {
        Path directory = folderDirectory(username, folderName);
        return folders.computeIfAbsent(directory, path -> new MaildirFolder(path, host, durability));
    }

    /** The folder if this process holds it already (read since its last eviction): none is made for a name. */
    public Optional<MaildirFolder> heldFolder(String username, String folderName) {
        return Optional.ofNullable(folders.get(folderDirectory(username, folderName)));
    }

    private record FolderName(String username, String folderName) {
    }

    /**
     * The layout's directory for the folder, remembered: every mailbox operation asks for its
     * folder by user and name, and the answer (a pure function of the two, names checked,
     * modified UTF-7 encoded) took 3.5 % of the server's CPU under imap-stress. A name the layout
     * refuses is not remembered and is refused again.
     */
    private Path folderDirectory(String username, String folderName) {
        FolderName name = new FolderName(username, folderName);
        Path known = directories.get(name);
        if (known != null) {
            return known;
        }
        Path directory = layout.folderDirectory(layout.userMaildir(username), folderName);
        if (directories.size() >= MAX_REMEMBERED_DIRECTORIES) {
            directories.clear();
        }
        directories.put(name, directory);
        return directory;
    }

    public boolean exists(String username, String folderName) {
        Path maildir = layout.userMaildir(username);
        Path directory = layout.folderDirectory(maildir, folderName);
        return noSymlinkBelowRoot(directory) && MaildirFolder.looksLikeMaildir(directory);
    }

    /**
     * Creates the folder with the given UIDVALIDITY. Fails when it exists. The user's first
     * folder also creates the Maildir, its INBOX and the default folders (subscribed).
     */
    public MaildirFolder create(String username, String folderName, long uidValidity) throws IOException {
        Path maildir = layout.userMaildir(username);
        Path directory = layout.folderDirectory(maildir, folderName);
        if (!exists(username, MaildirLayout.INBOX)) {
            createDirectories(maildir);
            folder(username, MaildirLayout.INBOX).create(uidValidity - 1);
            subscriptions(username).add(MaildirLayout.INBOX);
            for (String name : defaultFolders) {
                if (!exists(username, name)) {
                    createFolder(username, maildir, name, uidValidity + 1 + defaultFolders.indexOf(name));
                }
                subscriptions(username).add(name);
            }
            if (MaildirLayout.isInbox(folderName) || defaultFolders.contains(folderName)) {
                return folder(username, folderName);
            }
        }
        if (exists(username, folderName)) {
            throw new FileAlreadyExistsException(directory.toString(), null, "folder exists");
        }
        return createFolder(username, maildir, folderName, uidValidity);
    }

    private MaildirFolder createFolder(String username, Path maildir, String folderName, long uidValidity) throws IOException {
        Path directory = layout.folderDirectory(maildir, folderName);
        createDirectories(directory);
        MaildirFolder folder = folder(username, folderName);
        folder.create(uidValidity);
        if (!MaildirLayout.isInbox(folderName)) {
            Path marker = directory.resolve(MAILDIRFOLDER_MARKER);
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(marker);
            }
            durability.syncDirectory(maildir);
        }
        return folder;
    }

    private void createDirectories(Path directory) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException inTheWay) {
            // Not "the folder exists": something that is no directory stands where one must be.
            throw new FileSystemException(inTheWay.getFile(), null, "exists and is not a directory");
        }
        if (!noSymlinkBelowRoot(directory)) {
            throw new IOException(directory + " is reached through a symbolic link; refusing to use it");
        }
    }

    /** True when no directory between the mail root and {@code path} (inclusive) is a symlink. */
    private boolean noSymlinkBelowRoot(Path path) {
        Path root = layout.root();
        if (!path.startsWith(root)) {
            return false;
        }
        Path current = root;
        for (Path part : root.relativize(path)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                return false;
            }
        }
        return true;
    }

    /** INBOX (when the Maildir exists) and every folder beside it, sorted by name. */
    public List<String> folderNames(String username) throws IOException {
        Path maildir = layout.userMaildir(username);
        List<String> names = new ArrayList<>();
        if (!noSymlinkBelowRoot(maildir) || !Files.isDirectory(maildir, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        if (MaildirFolder.looksLikeMaildir(maildir)) {
            names.add(MaildirLayout.INBOX);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(maildir, ".*")) {
            for (Path entry : entries) {
                Optional<String> name = layout.folderNameOf(entry.getFileName().toString());
                if (name.isEmpty() || Files.isSymbolicLink(entry) || !MaildirFolder.looksLikeMaildir(entry)) {
                    continue;
                }
                sorted.put(name.get(), name.get());
            }
        }
        names.addAll(sorted.keySet());
        return names;
    }

    /**
     * Renames one folder directory; it moves with its uidlist, so UIDs and UIDVALIDITY stay.
     * Maildir++ keeps each level in its own directory: the folders below are renamed one by one
     * by the caller (James's mailbox manager does).
     */
    public void rename(String username, String from, String to) throws IOException {
        if (MaildirLayout.isInbox(from)) {
            throw new IOException("INBOX cannot be renamed in a Maildir");
        }
        Path maildir = layout.userMaildir(username);
        Path source = layout.folderDirectory(maildir, from);
        Path target = layout.folderDirectory(maildir, to);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "folder exists");
        }
        if (!noSymlinkBelowRoot(source) || !MaildirFolder.looksLikeMaildir(source)) {
            throw new NoSuchFileException(source.toString(), null, "no such folder");
        }
        flushAndForget(source);
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        durability.syncDirectory(maildir);
    }

    /** Every user with a Maildir under the root, as {@code localpart@domain}. */
    public List<String> users() throws IOException {
        List<String> users = new ArrayList<>();
        Path root = layout.root();
        if (!Files.isDirectory(root)) {
            return users;
        }
        try (DirectoryStream<Path> domains = Files.newDirectoryStream(root)) {
            for (Path domain : domains) {
                if (!Files.isDirectory(domain, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> localParts = Files.newDirectoryStream(domain)) {
                    for (Path localPart : localParts) {
                        if (Files.isDirectory(localPart.resolve("Maildir"), LinkOption.NOFOLLOW_LINKS)) {
                            users.add(localPart.getFileName() + "@" + domain.getFileName());
                        }
                    }
                }
            }
        }
        return users;
    }

    /**
     * Deletes a folder's directory (not the folders below it, which are separate directories).
     * It is first renamed out of sight, as Dovecot does, so that a crash half-way leaves no half
     * folder behind.
     */
    public void delete(String username, String folderName) throws IOException {
        if (MaildirLayout.isInbox(folderName)) {
            throw new IOException("INBOX cannot be deleted");
        }
        Path maildir = layout.userMaildir(username);
        Path directory = layout.folderDirectory(maildir, folderName);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        MaildirFolder dropped = folders.remove(directory);
        // Dovecot's name: it starts with two dots, so no folder can have it.
        Path trashed = maildir.resolve("..DOVECOT-TRASHED");
        deleteTree(trashed);
        Files.move(directory, trashed, StandardCopyOption.ATOMIC_MOVE);
        durability.syncDirectory(maildir);
        deleteTree(trashed);
        if (dropped != null) {
            LOGGER.debug("folder {} deleted", directory);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public DovecotSubscriptions subscriptions(String username) {
        Path maildir = layout.userMaildir(username);
        return subscriptions.computeIfAbsent(maildir, path -> new DovecotSubscriptions(path, durability));
    }

    private void flushAndForget(Path directory) throws IOException {
        MaildirFolder folder = folders.remove(directory);
        if (folder != null) {
            folder.flush(true);
        }
    }

    /** Whose folder a directory is, and its name: the reverse of {@link #folder(String, String)}. */
    public record FolderAddress(String username, String folderName) {
    }

    public Optional<FolderAddress> locate(MaildirFolder folder) {
        Path relative;
        try {
            relative = layout.root().relativize(folder.directory());
        } catch (IllegalArgumentException elsewhere) {
            return Optional.empty();
        }
        if (relative.getNameCount() == 3 && relative.getName(2).toString().equals("Maildir")) {
            return Optional.of(new FolderAddress(relative.getName(1) + "@" + relative.getName(0), MaildirLayout.INBOX));
        }
        if (relative.getNameCount() == 4 && relative.getName(2).toString().equals("Maildir")) {
            return layout.folderNameOf(relative.getName(3).toString())
                .map(name -> new FolderAddress(relative.getName(1) + "@" + relative.getName(0), name));
        }
        return Optional.empty();
    }

    /** What the folder indexes held in memory amount to: the heap {@link #evictIdle} keeps bounded. */
    public record IndexCache(int folders, long messages) {
    }

    /** Counted without waiting for any folder's lock: a monitoring read must not hang behind a delivery. */
    public IndexCache indexCache() {
        int loadedFolders = 0;
        long messages = 0;
        for (MaildirFolder folder : folders.values()) {
            if (folder.indexLoaded()) {
                loadedFolders++;
                messages += folder.messagesInMemory();
            }
        }
        return new IndexCache(loadedFolders, messages);
    }

    /** Folders that were used in the last {@code withinMillis}: the ones worth watching. */
    public List<MaildirFolder> activeFolders(long withinMillis) {
        long since = System.currentTimeMillis() - withinMillis;
        return folders.values().stream().filter(folder -> folder.lastUsed() >= since).toList();
    }

    /** Writes changed indexes; at shutdown ({@code clean}) every loaded one. */
    public void flushAll(boolean clean) {
        for (MaildirFolder folder : folders.values()) {
            try {
                folder.flush(clean);
            } catch (NoSuchFileException gone) {
                folders.remove(folder.directory());
            } catch (IOException e) {
                LOGGER.warn("could not write the index of {}: {}", folder.directory(), e.toString());
            }
        }
    }

    /** Drops the in-memory index of folders unused for {@code idleMillis}, after writing it. */
    public void evictIdle(long idleMillis) {
        long before = System.currentTimeMillis() - idleMillis;
        for (MaildirFolder folder : List.copyOf(folders.values())) {
            if (folder.lastUsed() < before) {
                try {
                    folder.flush(true);
                } catch (IOException e) {
                    LOGGER.warn("could not write the index of {}: {}", folder.directory(), e.toString());
                }
                folders.remove(folder.directory(), folder);
            }
        }
    }

}
