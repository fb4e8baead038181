package org.maildeck.rpmchangelog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.packager.rpm.build.BuilderOptions;
import org.eclipse.packager.rpm.build.RpmBuilder;

import de.dentrassi.rpm.builder.signatures.SignatureConfiguration;

/**
 * Gives the RPM a %changelog, read from the Debian changelog named by the project property
 * {@value #CHANGELOG_PROPERTY}. The RPM builder (de.dentrassi rpm 1.13.0) has no changelog setting;
 * its "signature configuration" is the one extension it hands the whole {@link RpmBuilder} to, so this
 * is one ({@code <signatureConfiguration>maildeck-changelog</signatureConfiguration>}), and it adds
 * the builder's own default digests as its default configuration does.
 * <p>
 * The header customizer set here replaces the builder's, which only writes PREFIXES for relocatable
 * packages and a BUILDTIME from {@code project.build.outputTimestamp}; the Maildeck RPM uses neither,
 * and a build that sets the time stamp fails here rather than lose it.
 */
@Named(RpmChangelogConfiguration.HINT)
public class RpmChangelogConfiguration implements SignatureConfiguration {

    static final String HINT = "maildeck-changelog";
    static final String CHANGELOG_PROPERTY = "maildeck.rpm.changelog";

    private final MavenSession session;

    @Inject
    public RpmChangelogConfiguration(MavenSession session) {
        this.session = session;
    }

    @Override
    public void applyOptions(BuilderOptions options) {
    }

    @Override
    public void applyBuilder(RpmBuilder builder) {
        MavenProject project = session.getCurrentProject();
        if (project.getProperties().getProperty("project.build.outputTimestamp") != null) {
            throw new IllegalStateException("signature configuration '" + HINT + "' replaces the RPM builder's header"
                + " customizer, which writes project.build.outputTimestamp as the build time: write it here first");
        }
        builder.removeAllSignatureProcessors();
        builder.addDefaultSignatureProcessors();
        Path file = changelogFile(project);
        DebianChangelog changelog = read(file);
        String newestFor = changelog.entries().get(0).packageName();
        if (!newestFor.equals(builder.getName())) {
            throw new IllegalArgumentException(file + ": its newest entry is for the package " + newestFor
                + ", not " + builder.getName());
        }
        builder.setHeaderCustomizer(header -> RpmChangelog.putInto(header, changelog, builder.getVersion()));
    }

    private static Path changelogFile(MavenProject project) {
        String file = project.getProperties().getProperty(CHANGELOG_PROPERTY);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("signature configuration '" + HINT + "' needs the project property "
                + CHANGELOG_PROPERTY + ": the Debian changelog to write into the RPM");
        }
        return project.getBasedir().toPath().resolve(file);
    }

    private static DebianChangelog read(Path file) {
        try {
            return DebianChangelog.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the changelog " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
