package org.maildeck.assembly.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The embedded database (Derby, {@code var/derby}) as a server's first start leaves it, kept once
 * per distribution so that a new test instance starts with a copy of it instead of creating it:
 * Derby making its system tables and OpenJPA building the schema (16 tables, their keys and
 * indexes) took 0.6-0.9 of a first start's 4.4-5.6 CPU-s to ready (14 alternating pairs at load
 * 7-10, every one lower; means 5.62 against 4.72 and 4.38 against 3.74; bench/README.md), and the
 * ITs start about ninety instances, most of them fresh. It is what the server itself would have
 * made: the database of the class archive's throwaway server ({@link ServerClassArchive}), which
 * nothing else used, after its clean stop (Derby closed, so the files may be copied).
 *
 * <p>What a first start writes besides the schema depends on a few configuration files (the
 * default domain of domainlist.xml, the mail repositories named in mailetcontainer.xml, those of
 * mailrepositorystore.xml, the database settings): an instance gets the copy only when those are
 * the same as the throwaway server's, so that it holds what its own first start would have
 * written. Of mailetcontainer.xml only the repositories' URLs are compared: tests edit its
 * mailets' other settings (RemoteDelivery's gateway and delays, the local delivery), which write
 * nothing at start. Instances that must look as an admin's fresh instance looks (those
 * generating their keystore, {@link MaildeckInstance#generatingItsKeystore()}) create theirs.
 */
final class FreshDatabase {

    /** The configuration files that decide what a first start writes into the database. */
    private static final List<String> DECIDING_FILES = List.of("domainlist.xml", "james-database.properties",
        "mailetcontainer.xml", "mailrepositorystore.xml", "recipientrewritetable.xml", "usersrepository.xml");
    /** A mail repository's URL in mailetcontainer.xml (its start registers each in the database). */
    private static final Pattern REPOSITORY_URL = Pattern.compile("file://var/mail/[^<\\s]*");
    /** The server's log line of a clean close of the database (EmbeddedDerby). */
    private static final String DATABASE_CLOSED = "EmbeddedDerby - database closed";

    private FreshDatabase() {
    }

    /**
     * Keeps the database of {@code stopped}, a server that one start and a clean stop have used
     * and nothing else (the throwaway server of {@link ServerClassArchive}); nothing is kept when
     * its log does not show the database closed, or when one is kept already.
     */
    static void keepFrom(MaildeckInstance stopped) {
        Path kept = location();
        if (Files.isDirectory(kept) || !stopped.serverLogOfLastStart().contains(DATABASE_CLOSED)) {
            return;
        }
        Path making = kept.resolveSibling(kept.getFileName() + ".making-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            copyTree(stopped.data().resolve("derby"), making.resolve("derby"));
            Files.createDirectories(making.resolve("conf"));
            for (String name : DECIDING_FILES) {
                Files.copy(stopped.conf().resolve(name), making.resolve("conf").resolve(name));
            }
            // complete or not there: the instances look for the directory under its final name
            Files.move(making, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherJvmWasFirst) {
            deleteTree(making);
        } catch (IOException e) {
            System.out.println("[FreshDatabase] not kept, the instances create their own: " + e);
            deleteTree(making);
        }
    }

    /**
     * Before the first start of {@code instance}: puts a copy of the kept database into its data
     * directory when there is one and the instance's deciding files are the same; otherwise the
     * server creates its own as it starts.
     */
    static void seed(MaildeckInstance instance) {
        Path kept = location();
        Path target = instance.data().resolve("derby");
        if (!Files.isDirectory(kept) || Files.exists(target) || !sameDecidingFiles(kept.resolve("conf"), instance.conf())) {
            return;
        }
        try {
            copyTree(kept.resolve("derby"), target);
        } catch (IOException e) {
            deleteTree(target);
        }
    }

    private static boolean sameDecidingFiles(Path keptConf, Path conf) {
        try {
            for (String name : DECIDING_FILES) {
                if (!decidingContent(name, keptConf.resolve(name)).equals(decidingContent(name, conf.resolve(name)))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What of a deciding file a first start's database depends on: the file, or mailetcontainer.xml's repository URLs. */
    private static String decidingContent(String name, Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (!name.equals("mailetcontainer.xml")) {
            return content;
        }
        return REPOSITORY_URL.matcher(content).results().map(MatchResult::group).sorted().distinct().collect(Collectors.joining("\n"));
    }

    /** {@code <testWork>/fresh-database-<the class archive's digest of the jars and the JDK>}. */
    private static Path location() {
        return ServerClassArchive.besideTheArchive("fresh-database");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
