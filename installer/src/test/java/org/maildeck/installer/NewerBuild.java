package org.maildeck.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same DEB as a newer build: the version gets a {@code +upgrade} suffix and smtpserver.xml
 * a change of its own, so that dpkg has to choose between the admin's edit and the package's.
 */
final class NewerBuild {

    static final String PACKAGE_EDIT = "<!-- changed by the newer package -->";

    private NewerBuild() {
    }

    static Path of(Path deb, Path work) throws IOException {
        Path tree = work.resolve("tree");
        HostCommand.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", work.toString()).orFail();
        Files.createDirectories(work);
        HostCommand.run(Duration.ofMinutes(2), "dpkg-deb", "-R", deb.toString(), tree.toString()).orFail();
        Path control = tree.resolve("DEBIAN/control");
        Matcher version = Pattern.compile("(?m)^Version: (\\S+)$").matcher(Files.readString(control));
        if (!version.find()) {
            throw new AssertionError("no Version in " + control);
        }
        Files.writeString(control, version.replaceFirst("Version: " + version.group(1) + "+upgrade"));
        Files.writeString(tree.resolve("etc/maildeck/smtpserver.xml"), PACKAGE_EDIT + "\n", StandardOpenOption.APPEND);
        String md5 = HostCommand.run(Duration.ofSeconds(30), "sh", "-c", "cd \"$0\" && md5sum etc/maildeck/smtpserver.xml", tree.toString())
            .orFail().output();
        Path md5sums = tree.resolve("DEBIAN/md5sums");
        Files.writeString(md5sums, Files.readString(md5sums).replaceAll("(?m)^\\S+  etc/maildeck/smtpserver.xml\n", md5));
        Path newer = work.resolve("maildeck-upgrade.deb");
        // gzip at its fastest: dpkg-deb's default, xz, spends a minute or more of CPU on the 90 MB
        // of jars (already compressed); beside the end-to-end tests (mvn -T 2) and other builds
        // it ran past the two minutes. How the newer build is compressed is not what is tested.
        HostCommand.run(Duration.ofMinutes(2), "dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "-b", tree.toString(), newer.toString())
            .orFail();
        return newer;
    }
}
