package org.maildeck.mailauth;

import org.apache.james.jspf.core.SPF1Record;
import org.apache.james.jspf.core.exceptions.NeutralException;
import org.apache.james.jspf.core.exceptions.NoneException;
import org.apache.james.jspf.core.exceptions.PermErrorException;
import org.apache.james.jspf.parser.RFC4408SPF1Parser;
import org.apache.james.jspf.parser.TermsFactory;

/**
 * jSPF's parser, remembering the terms it made of the SPF records it parsed lately. jSPF parses the
 * record text of every check again, with a regular expression joining every term's, per term:
 * a third of an SPF check's CPU in bench/mail-auth, for the same few records message after
 * message. The terms (directives and modifiers) hold only what the text says and the services
 * wired into them once; what a check finds lives in its SPFSession, so one term serves any number
 * of checks, concurrent ones included.
 *
 * <p>Each parse still gets a record of its own: jSPF adds a modifier to the record it checks
 * (NeutralIfNotMatchPolicy's default result), so the remembered record is never handed out, only
 * a copy of its term lists. A record that does not parse is not remembered: it throws again.</p>
 */
final class RememberingSpfParser extends RFC4408SPF1Parser {

    private final BoundedMemo<String, SPF1Record> parsed = new BoundedMemo<>(512);

    RememberingSpfParser(TermsFactory terms) {
        super(terms);
    }

    @Override
    public SPF1Record parse(String text) throws PermErrorException, NoneException, NeutralException {
        SPF1Record known = parsed.get(text);
        if (known == null) {
            known = super.parse(text);
            parsed.put(text, known);
        }
        SPF1Record copy = new SPF1Record();
        copy.getDirectives().addAll(known.getDirectives());
        copy.getModifiers().addAll(known.getModifiers());
        return copy;
    }
}
