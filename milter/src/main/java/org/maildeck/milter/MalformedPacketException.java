package org.maildeck.milter;

/** The MTA sent something the protocol does not allow: the connection is closed. */
public class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message);
    }
}
