package org.maildeck.assembly.managesieve;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.managesieve.api.SieveParser;
import org.apache.james.managesieve.api.SyntaxException;
import org.apache.jsieve.SieveFactory;
import org.apache.jsieve.parser.generated.ParseException;
import org.apache.jsieve.parser.generated.Token;
import org.apache.jsieve.parser.generated.TokenMgrError;

/**
 * Checks scripts with the jSieve that runs them at delivery (the same commands, extensions and
 * bounds), and says where an error is on one line, {@code line L, column C: ...}: James's parser
 * gives JavaCC's multi-line message, which its ManageSieve splits across response lines, and
 * lets a lexical error ({@link TokenMgrError}) escape.
 */
final class PositionedSieveParser implements SieveParser {

    private final SieveFactory jsieve;

    PositionedSieveParser(SieveFactory jsieve) {
        this.jsieve = jsieve;
    }

    @Override
    public List<String> getExtensions() {
        return jsieve.getExtensions();
    }

    @Override
    public List<String> parse(String content) throws SyntaxException {
        try {
            jsieve.parse(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
            return List.of();
        } catch (ParseException e) {
            throw new SyntaxException(describe(e));
        } catch (TokenMgrError e) {
            throw new SyntaxException(firstLine(e.getMessage()));
        }
    }

    static String describe(ParseException e) {
        Token last = e.currentToken;
        if (last != null && last.next != null) {
            Token wrong = last.next;
            String found = wrong.kind == 0 ? "end of script" : "\"" + wrong.image + "\"";
            return "line " + wrong.beginLine + ", column " + wrong.beginColumn + ": unexpected " + found;
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        String text = message == null ? "syntax error" : message.strip();
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).replace('"', '\'').strip();
    }
}
