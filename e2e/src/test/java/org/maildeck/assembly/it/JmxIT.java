package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JMX endpoint: password required, James MBeans behind it, and nothing listening beyond loopback. */
class JmxIT {

    private static final String ADMIN = "james-admin";

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void connectionWithoutCredentialsIsRefused() {
        assertThatThrownBy(() -> JMXConnectorFactory.connect(url()).close())
            .isInstanceOf(SecurityException.class)
            .hasMessage("Authentication failed! Credentials required");
    }

    @Test
    void connectionWithAWrongPasswordIsRefused() throws Exception {
        String wrong = adminPassword() + "x";
        assertThatThrownBy(() -> connect(ADMIN, wrong).close())
            .isInstanceOf(SecurityException.class)
            .hasMessage("Authentication failed! Invalid username or password");
    }

    @Test
    void generatedCredentialFilesAreReadableAndWritableByTheOwnerOnly() throws Exception {
        Set<PosixFilePermission> ownerReadWrite = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(maildeck.instance().conf().resolve("jmxremote.password"))).isEqualTo(ownerReadWrite);
        assertThat(Files.getPosixFilePermissions(maildeck.instance().conf().resolve("jmxremote.access"))).isEqualTo(ownerReadWrite);
        assertThat(Files.readString(maildeck.instance().conf().resolve("jmxremote.password"), UTF_8)).matches(ADMIN + " \\S{20}\n");
        assertThat(Files.readString(maildeck.instance().conf().resolve("jmxremote.access"), UTF_8)).isEqualTo(ADMIN + " readwrite\n");
    }

    @Test
    void adminWithThePasswordFromThePasswordFileSeesJamesMBeans() throws Exception {
        try (JMXConnector connector = connect(ADMIN, adminPassword())) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();

            assertThat(mbeans.isRegistered(new ObjectName("org.apache.james:type=component,name=domainlist"))).isTrue();
            assertThat(mbeans.isRegistered(new ObjectName("org.apache.james:type=component,name=usersrepository"))).isTrue();
            Set<String> protocolServers = mbeans.queryNames(new ObjectName("org.apache.james:type=server,*"), null).stream()
                .filter(name -> name.getKeyPropertyList().size() == 2)
                .map(ObjectName::getCanonicalName)
                .collect(Collectors.toSet());
            assertThat(protocolServers).contains(
                "org.apache.james:name=smtpserver,type=server",
                "org.apache.james:name=submissionserver,type=server",
                "org.apache.james:name=smtpsserver,type=server",
                "org.apache.james:name=imapserver,type=server",
                "org.apache.james:name=imapsserver,type=server",
                "org.apache.james:name=pop3server,type=server",
                "org.apache.james:name=pop3sserver,type=server",
                "org.apache.james:name=lmtpserver,type=server");
        }
    }

    @Test
    void jmxSeesADomainAddedThroughWebAdmin() throws Exception {
        maildeck.webAdmin().addDomain("jmx-visible.test");
        try (JMXConnector connector = connect(ADMIN, adminPassword())) {
            Object domains = connector.getMBeanServerConnection()
                .getAttribute(new ObjectName("org.apache.james:type=component,name=domainlist"), "Domains");

            assertThat(domains).asInstanceOf(InstanceOfAssertFactories.LIST).contains("jmx-visible.test");
        }
    }

    @Test
    void jmxRegistryAndConnectorListenOnLoopbackOnly() throws Exception {
        List<ListeningSocket> sockets = listeningSockets(maildeck.instance().pid());

        assertThat(sockets).filteredOn(socket -> socket.port() == maildeck.port("jmx"))
            .as("registry port %s in %s", maildeck.port("jmx"), sockets)
            .isNotEmpty()
            .allMatch(ListeningSocket::isLoopback);
        assertThat(sockets).filteredOn(socket -> socket.port() == maildeck.port("jmxRmi"))
            .as("connector port %s in %s", maildeck.port("jmxRmi"), sockets)
            .isNotEmpty()
            .allMatch(ListeningSocket::isLoopback);
        assertThat(maildeck.instance().serverLogOfLastStart()).contains("JMX listening on 127.0.0.1:" + maildeck.port("jmx")
            + " (registry) and 127.0.0.1:" + maildeck.port("jmxRmi") + " (connector), authentication required");
    }

    /**
     * Every listening TCP socket of the server process, whatever opened it (protocol listeners,
     * WebAdmin, the JMX registry and connector, or a library), is bound to a loopback address.
     * A wildcard bind shows up in /proc/net/tcp as 00000000 (0.0.0.0) or in tcp6 as 32 zeros
     * (::), which decode to addresses that are not loopback, so such a socket fails this test;
     * {@link #listeningSocketScanReportsAWildcardBindAsNotLoopback()} proves it on a real socket.
     * (Checked once with webadmin.properties {@code host=0.0.0.0}: this test failed on
     * {@code 0:0:0:0:0:0:0:0:<webadmin port>}.)
     */
    @Test
    void serverListensOnLoopbackAddressesOnly() throws Exception {
        List<ListeningSocket> sockets = listeningSockets(maildeck.instance().pid());

        assertThat(sockets).extracting(ListeningSocket::port).contains(
            maildeck.port("smtp"), maildeck.port("submission"), maildeck.port("smtps"), maildeck.port("imap"), maildeck.port("imaps"),
            maildeck.port("pop3"), maildeck.port("pop3s"), maildeck.port("lmtp"), maildeck.port("webadmin"),
            maildeck.port("jmx"), maildeck.port("jmxRmi"));
        assertThat(sockets).as("listening sockets of pid %s", maildeck.instance().pid()).allMatch(ListeningSocket::isLoopback);
    }

    /** The socket scan above must be able to fail: a wildcard listener of this JVM is seen and not loopback. */
    @Test
    void listeningSocketScanReportsAWildcardBindAsNotLoopback() throws Exception {
        try (ServerSocket wildcard = new ServerSocket(0)) {
            List<ListeningSocket> sockets = listeningSockets(ProcessHandle.current().pid());

            assertThat(sockets).filteredOn(socket -> socket.port() == wildcard.getLocalPort())
                .as("test JVM sockets %s", sockets)
                .isNotEmpty()
                .noneMatch(ListeningSocket::isLoopback);
        }
    }

    private static JMXServiceURL url() throws IOException {
        return MaildeckJmx.url(maildeck.instance());
    }

    private static JMXConnector connect(String user, String password) throws IOException {
        return MaildeckJmx.connect(maildeck.instance(), user, password);
    }

    private static String adminPassword() throws IOException {
        return MaildeckJmx.adminPassword(maildeck.instance());
    }

    /** One listening TCP socket: the local address and port it is bound to. */
    record ListeningSocket(InetAddress address, int port) {
        boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    /**
     * The listening TCP sockets (IPv4 and IPv6) of process {@code pid}: the socket inodes among
     * its open files ({@code /proc/PID/fd -> socket:[INODE]}), looked up in the TCP tables of its
     * network namespace ({@code /proc/PID/net/tcp}, {@code tcp6}) with state 0A (LISTEN).
     */
    static List<ListeningSocket> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we listed: not a listening socket of interest
                }
            }
        }
        assertThat(inodes).as("sockets of pid %s", pid).isNotEmpty();
        List<ListeningSocket> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String[] local = fields[1].split(":");
                    sockets.add(new ListeningSocket(decodeAddress(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return sockets;
    }

    /**
     * An address as /proc/net/tcp{,6} prints it: each 32-bit word of the address in hexadecimal,
     * as the host holds it in memory (so 127.0.0.1 is 0100007F on a little-endian host).
     * ::ffff:127.0.0.1 decodes to the Inet4Address 127.0.0.1, which is loopback.
     */
    static InetAddress decodeAddress(String hex) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int word = 0; word < hex.length() / 8; word++) {
            bytes.putInt((int) Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16));
        }
        byte[] address = Arrays.copyOf(bytes.array(), bytes.capacity());
        return InetAddress.getByAddress(address);
    }
}
