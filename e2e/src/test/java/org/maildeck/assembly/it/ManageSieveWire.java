package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLSocket;

/**
 * A ManageSieve (RFC 5804) connection spoken line by line, for what a real client
 * ({@code sieve-connect}) will not send: commands before STARTTLS, names with path tricks,
 * literals over the limit. Accepts any certificate ({@link AnyCertificate}).
 */
final class ManageSieveWire implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 30_000;

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private ManageSieveWire(Socket socket) throws IOException {
        use(socket);
    }

    /** Connected, the greeting (capabilities and OK) read. */
    static ManageSieveWire connect(int port) throws IOException {
        return connectFrom("127.0.0.1", port);
    }

    /** {@link #connect} from the loopback address {@code client} (e.g. 127.0.0.44), as another client. */
    static ManageSieveWire connectFrom(String client, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(client, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        ManageSieveWire wire = new ManageSieveWire(socket);
        wire.response();
        return wire;
    }

    /** Connected, STARTTLS done and PLAIN authenticated. */
    static ManageSieveWire login(int port, String user, String password) throws Exception {
        ManageSieveWire wire = connect(port);
        wire.startTls();
        List<String> auth = wire.authenticate(user, password);
        if (!last(auth).startsWith("OK")) {
            throw new IOException("login failed: " + auth);
        }
        return wire;
    }

    /** {@code AUTHENTICATE "PLAIN"} with the credentials as initial response. */
    List<String> authenticate(String user, String password) throws IOException {
        return command("AUTHENTICATE \"PLAIN\" \"" + plain(user, password) + "\"");
    }

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(UTF_8));
    }

    void startTls() throws Exception {
        List<String> answer = command("STARTTLS");
        if (!last(answer).startsWith("OK")) {
            throw new IOException("STARTTLS refused: " + answer);
        }
        SSLSocket tls = (SSLSocket) AnyCertificate.context().getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.startHandshake();
        use(tls);
        response(); // the capabilities again (RFC 5804 2.2)
    }

    /** Sends one command line and reads the lines of its response, up to OK, NO or BYE. */
    List<String> command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(UTF_8));
        out.flush();
        return response();
    }

    /** {@code PUTSCRIPT "name" {N+}} with the script as a non-synchronizing literal. */
    List<String> putScript(String quotedName, String script) throws IOException {
        byte[] bytes = script.getBytes(UTF_8);
        return command("PUTSCRIPT " + quotedName + " {" + bytes.length + "+}\r\n" + script);
    }

    List<String> response() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                lines.add("<closed>");
                return lines;
            }
            lines.add(line);
            if (line.startsWith("OK") || line.startsWith("NO") || line.startsWith("BYE")) {
                return lines;
            }
        }
    }

    static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private void use(Socket connected) throws IOException {
        socket = connected;
        in = new BufferedReader(new InputStreamReader(connected.getInputStream(), UTF_8));
        out = connected.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
