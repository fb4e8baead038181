package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.Optional;

/** One line of {@code maildeck check}: {@code error: FILE:LINE: text} or {@code warning: ...}. */
public record Finding(boolean error, Optional<Path> file, int line, String text) {

    static Finding error(Path file, int line, String text) {
        return new Finding(true, Optional.of(file), line, text);
    }

    static Finding warning(Path file, int line, String text) {
        return new Finding(false, Optional.of(file), line, text);
    }

    static Finding error(String text) {
        return new Finding(true, Optional.empty(), 0, text);
    }

    static Finding warning(String text) {
        return new Finding(false, Optional.empty(), 0, text);
    }

    @Override
    public String toString() {
        String where = file.map(path -> path + (line > 0 ? ":" + line : "") + ": ").orElse("");
        return (error ? "error: " : "warning: ") + where + text;
    }
}
