package org.maildeck.milter;

/** The filter's decision on a whole message; the session only collects it. */
public interface EndOfMessage {

    /** The verdict on a complete message (the mail-log line is the decider's). */
    Verdict decide(ReceivedMessage message);

    /** The verdict on a message that grew past the maximum size (its content was dropped). */
    Verdict tooLarge(ReceivedMessage message);
}
