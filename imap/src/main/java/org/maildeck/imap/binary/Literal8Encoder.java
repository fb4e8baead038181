package org.maildeck.imap.binary;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import javax.inject.Inject;

import org.apache.james.imap.encode.FetchResponseEncoder;
import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.response.FetchResponse;

/**
 * James's FETCH response encoder, which also writes the answers to BINARY items
 * ({@link DecodedSection}) as RFC 3516 §4.2 and §6 spell them: {@code BINARY.SIZE[1] 11} as a
 * number, and {@code BINARY[1] ~{7}} (a literal8) when the data holds a NUL. James writes every
 * body section as its name and a literal through the composer; for a response with BINARY
 * answers the composer is wrapped so that those literals come out that way.
 */
public class Literal8Encoder extends FetchResponseEncoder {

    private static final Method LITERAL = literalMethod();

    @Inject
    public Literal8Encoder() {
        super();
    }

    @Override
    public void encode(FetchResponse response, ImapResponseComposer composer) throws IOException {
        boolean binary = response.getElements() != null
            && response.getElements().stream().anyMatch(DecodedSection.class::isInstance);
        super.encode(response, binary ? binaryAware(composer) : composer);
    }

    private static ImapResponseComposer binaryAware(ImapResponseComposer composer) {
        return (ImapResponseComposer) Proxy.newProxyInstance(ImapResponseComposer.class.getClassLoader(),
            new Class<?>[] {ImapResponseComposer.class}, (proxy, method, args) -> {
                if (method.equals(LITERAL) && args[0] instanceof DecodedSection section) {
                    write(section, composer);
                    return proxy;
                }
                try {
                    Object result = method.invoke(composer, args);
                    return result == composer ? proxy : result;
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    private static void write(DecodedSection section, ImapResponseComposer composer) throws IOException {
        if (section.sizeOnly()) {
            composer.message(section.size());
        } else if (section.needsLiteral8()) {
            composer.message("~");
            composer.skipNextSpace();
            composer.literal(section);
        } else {
            composer.literal(section);
        }
    }

    private static Method literalMethod() {
        try {
            return ImapResponseComposer.class.getMethod("literal", Literal.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("James's ImapResponseComposer has no literal(Literal)", e);
        }
    }
}
