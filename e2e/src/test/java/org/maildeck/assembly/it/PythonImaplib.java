package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Python's imaplib as a client of the server: a session logged in with the INBOX selected
 * read-only, in which {@code m} is the {@code IMAP4} object; the statements given run there and
 * what they print is returned.
 */
final class PythonImaplib {

    private PythonImaplib() {
    }

    static String run(MaildeckInstance server, String user, String password, String... statements) throws IOException, InterruptedException {
        List<String> script = new ArrayList<>(List.of(
            "import imaplib, sys",
            "m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
            "m.login(sys.argv[2], sys.argv[3])",
            "m.select('INBOX', readonly=True)"));
        script.addAll(List.of(statements));
        script.add("m.logout()");
        Process python = new ProcessBuilder("python3", "-c", String.join("\n", script), Integer.toString(server.port("imap")), user, password)
            .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), UTF_8).strip();
        if (!python.waitFor(60, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("python3 imaplib did not finish: " + output);
        }
        return output;
    }
}
