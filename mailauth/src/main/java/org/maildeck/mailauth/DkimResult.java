package org.maildeck.mailauth;

import java.util.Optional;

/**
 * What became of one DKIM signature, in RFC 8601's words: {@code pass}, {@code fail} (it does not
 * verify), {@code permerror} (it cannot be checked: malformed, no key, a key refused),
 * {@code temperror} (the key could not be fetched now), or {@code none} for a message without
 * a signature. The domain, selector and start of the signature are given when the signature had them
 * in a form safe to repeat in a header.
 */
record DkimResult(String result, Optional<String> domain, Optional<String> selector, Optional<String> signatureStart,
                  Optional<String> reason) {

    static final DkimResult NONE = new DkimResult("none", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** The resinfo of Authentication-Results: {@code dkim=pass header.d=example.org header.s=mail header.b=AbCdEfGh}. */
    String resinfo() {
        StringBuilder text = new StringBuilder("dkim=").append(result);
        reason.ifPresent(why -> text.append(" reason=\"").append(why).append('"'));
        domain.ifPresent(d -> text.append(" header.d=").append(d));
        selector.ifPresent(s -> text.append(" header.s=").append(s));
        signatureStart.ifPresent(b -> text.append(" header.b=").append(b));
        return text.toString();
    }

    /** The mail-log form: {@code dkim=fail (body hash differs) d=example.org s=mail}. */
    String logText() {
        StringBuilder text = new StringBuilder("dkim=").append(result);
        reason.ifPresent(why -> text.append(" (").append(why).append(')'));
        domain.ifPresent(d -> text.append(" d=").append(d));
        selector.ifPresent(s -> text.append(" s=").append(s));
        return text.toString();
    }
}
