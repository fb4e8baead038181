package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server as the packages run it: with bin/maildeck's own default JVM options, which every
 * other test replaces with the tests' options ({@code MAILDECK_JAVA_OPTS}). On a JDK that has
 * {@code -XX:TrimNativeHeapInterval} as a product option (17.0.11, 21.0.4, 22.0.1 and later) the
 * launcher adds it to those defaults; an older JDK would refuse to start with it, so there it is
 * left out.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ShippedJvmOptionsIT {

    private static final String TRIM_OPTION = "-XX:TrimNativeHeapInterval=5000";

    @Test
    void serverStartedWithTheDefaultOptionsTrimsItsNativeHeapOnAJdkThatCan() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create()) {
            ProcessBuilder start = server.launcher("start");
            start.environment().remove("MAILDECK_JAVA_OPTS");
            Path out = server.home().resolve("start.out");
            Path err = server.home().resolve("start.err");
            start.redirectOutput(out.toFile()).redirectError(err.toFile());

            Process process = start.start();
            assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("start ended").isTrue();
            assertThat(process.exitValue()).as("exit code, stderr: %s\nlog: %s", Files.readString(err, UTF_8), server.serverLog()).isZero();

            ProcessHandle.Info serverJvm = ProcessHandle.of(server.pid()).orElseThrow().info();
            assumeThat(serverJvm.command()).as("the server runs on the tests' JDK").isEqualTo(ProcessHandle.current().info().command());
            List<String> arguments = List.of(serverJvm.arguments().orElseThrow());
            if (hasTrimAsProductOption(Runtime.version())) {
                assertThat(arguments).contains(TRIM_OPTION);
            } else {
                assertThat(arguments).doesNotContain(TRIM_OPTION);
            }
        }
    }

    private static boolean hasTrimAsProductOption(Runtime.Version jdk) {
        int feature = jdk.feature();
        int update = jdk.update();
        return feature >= 23 || (feature == 17 && update >= 11) || (feature == 21 && update >= 4) || (feature == 22 && update >= 1);
    }
}
