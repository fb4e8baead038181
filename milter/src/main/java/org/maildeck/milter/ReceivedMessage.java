package org.maildeck.milter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageSource;

/**
 * One message as the MTA hands it over: the envelope, the headers (rebuilt as
 * {@code Name: value} lines) and the body, kept by James's {@link MimeMessageInputStreamSource},
 * in memory up to its threshold and in a temporary file beyond (the SMTP server's DATA does the
 * same). No more than {@code maxSize} bytes are kept: past it the content is dropped and the
 * message only counted, to be refused.
 */
public final class ReceivedMessage implements AutoCloseable {

    /** A header as the MTA sent it (value without the space after the colon). */
    public record Header(String name, String value) {
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final Map<String, String> macros;
    private final String client;
    private final Optional<String> helo;
    private final String sender;
    private final List<String> recipients = new ArrayList<>();
    private final List<Header> headers = new ArrayList<>();
    private final long maxSize;
    private MimeMessageInputStreamSource content;
    private OutputStream out;
    private long size;
    private boolean headersEnded;

    ReceivedMessage(Map<String, String> macros, String client, Optional<String> helo, String sender, long maxSize) {
        this.macros = macros;
        this.client = client;
        this.helo = helo;
        this.sender = sender;
        this.maxSize = maxSize;
    }

    /** Postfix's queue id (macro {@code i}), or {@code NOQUEUE} when the MTA did not send it. */
    public String queueId() {
        String id = macros.get("i");
        return id == null || id.isBlank() ? "NOQUEUE" : id;
    }

    /** The MTA's client, {@code host[address]}. */
    public String client() {
        return client;
    }

    public Optional<String> helo() {
        return helo;
    }

    /** The envelope sender, without angle brackets; empty for the null sender. */
    public String sender() {
        return sender;
    }

    public List<String> recipients() {
        return List.copyOf(recipients);
    }

    public List<Header> headers() {
        return List.copyOf(headers);
    }

    /** Bytes received so far (headers and body), also those dropped past the maximum. */
    public long size() {
        return size;
    }

    public boolean tooLarge() {
        return size > maxSize;
    }

    void addRecipient(String recipient) {
        recipients.add(recipient);
    }

    void addHeader(String name, String value) throws IOException {
        byte[] line = (name + ": " + value).getBytes(StandardCharsets.ISO_8859_1);
        if (append(line, CRLF)) {
            headers.add(new Header(name, value));
        }
    }

    void addBody(byte[] chunk) throws IOException {
        endHeaders();
        append(chunk, new byte[0]);
    }

    void endHeaders() throws IOException {
        if (!headersEnded) {
            headersEnded = true;
            append(CRLF, new byte[0]);
        }
    }

    /** The whole message, for reading once the MTA has sent the end of the body. */
    public MimeMessageSource content() throws IOException {
        endHeaders();
        stream().close();
        return content;
    }

    private boolean append(byte[] bytes, byte[] end) throws IOException {
        size += bytes.length + end.length;
        if (tooLarge()) {
            release();
            return false;
        }
        OutputStream stream = stream();
        stream.write(bytes);
        stream.write(end);
        return true;
    }

    private OutputStream stream() {
        if (content == null) {
            content = MimeMessageInputStreamSource.create("milter-" + queueId());
            out = content.getWritableOutputStream();
        }
        return out;
    }

    /** Deletes the temporary file, if any. */
    @Override
    public void close() {
        release();
    }

    private void release() {
        if (content != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the file is deleted below either way
            }
            content.dispose();
            content = null;
            out = null;
        }
        headers.clear();
    }
}
