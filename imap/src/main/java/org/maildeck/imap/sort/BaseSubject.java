package org.maildeck.imap.sort;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base subject of RFC 5256 §2.1, what SORT SUBJECT and both THREAD algorithms compare: the
 * subject without its reply and forward markers ("Re:", "Fwd:", "[list] Re:", a trailing
 * "(fwd)", a whole "[Fwd: ...]"), with whitespace runs made one space. Whether anything of
 * steps 2, 3 or 6 was removed also says whether the message is a reply or forward, which the
 * subject merging of THREAD=REFERENCES needs (§2.4 step 5).
 *
 * <p>The input is the subject with its encoded-words already decoded (step 1's first half).
 */
record BaseSubject(String text, boolean isReplyOrForward) {

    /** subj-trailer: "(fwd)" at the end. */
    private static final Pattern TRAILER = Pattern.compile("\\(fwd\\)$", Pattern.CASE_INSENSITIVE);
    /** subj-leader's subj-refwd after any subj-blobs: {@code [blob] Re [blob]:}. */
    private static final Pattern LEADER = Pattern.compile("^(?:\\[[^\\[\\]]*\\] *)*(?:re|fwd?) *(?:\\[[^\\[\\]]*\\] *)?:",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOB = Pattern.compile("^\\[[^\\[\\]]*\\] *");
    private static final Pattern FWD_WRAPPER = Pattern.compile("^\\[fwd:(.*)\\]$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    static BaseSubject of(String decodedSubject) {
        String subject = oneSpaced(decodedSubject == null ? "" : decodedSubject);
        boolean replyOrForward = false;
        while (true) {
            // (2) trailing "(fwd)" and whitespace
            while (true) {
                subject = subject.stripTrailing();
                Matcher trailer = TRAILER.matcher(subject);
                if (!trailer.find()) {
                    break;
                }
                subject = subject.substring(0, trailer.start());
                replyOrForward = true;
            }
            // (3), (4), repeated as (5) says: leaders, then a blob unless it is all there is
            boolean changed = true;
            while (changed) {
                changed = false;
                String stripped = subject.stripLeading();
                if (!stripped.equals(subject)) {
                    subject = stripped;
                    changed = true;
                }
                Matcher leader = LEADER.matcher(subject);
                if (leader.find()) {
                    subject = subject.substring(leader.end());
                    replyOrForward = true;
                    changed = true;
                    continue;
                }
                Matcher blob = BLOB.matcher(subject);
                if (blob.find() && !subject.substring(blob.end()).isBlank()) {
                    subject = subject.substring(blob.end());
                    changed = true;
                }
            }
            // (6) "[Fwd: ...]" around the whole subject: its inside, from (2) again
            Matcher wrapper = FWD_WRAPPER.matcher(subject);
            if (!wrapper.matches()) {
                return new BaseSubject(subject, replyOrForward);
            }
            subject = wrapper.group(1);
            replyOrForward = true;
        }
    }

    /** Step 1's second half: tabs and line breaks become spaces, a run of spaces one space. */
    private static String oneSpaced(String subject) {
        StringBuilder spaced = new StringBuilder(subject.length());
        boolean lastWasSpace = false;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!space || !lastWasSpace) {
                spaced.append(space ? ' ' : c);
            }
            lastWasSpace = space;
        }
        return spaced.toString();
    }

    /** The key SORT SUBJECT and the thread subject table compare: i;unicode-casemap (RFC 5051) of the text. */
    String comparable() {
        return Casemap.unicode(text);
    }
}
