package org.maildeck.assembly.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers the tests start, handed out from a block of its own per Failsafe fork.
 *
 * <p>Asking the kernel for port 0 and binding later races twice: the kernel picks from the
 * ephemeral range, where every outgoing connection of the test (SMTP clients, JMX, clamd calls)
 * also takes its local port, and two forks asking at the same moment may be told the same port.
 * A block below the ephemeral range (32768 and up on Linux), owned by one JVM at a time through a
 * file lock (so forks, and even two builds on one machine, never share one), avoids both.
 */
public final class TestPorts {
    private static final int FIRST = 20000;
    /** Enough for the servers one test JVM starts in turn (a few dozen ports each, reused in a cycle). */
    private static final int BLOCK = 750;
    /** Up to four builds of four test JVMs each on one machine (worktrees built side by side). */
    private static final int BLOCKS = 16;

    /** Held, never closed: the block stays this JVM's until it exits. */
    private static FileChannel blockLock;
    private static final int base = FIRST + claimBlock() * BLOCK;
    private static final AtomicInteger cursor = new AtomicInteger();

    private TestPorts() {
    }

    /**
     * A port no socket holds right now, not a dev port of the shipped configuration, not handed
     * out before by this fork (until the block wraps).
     */
    public static int next() {
        for (int tries = 0; tries < BLOCK; tries++) {
            int port = base + Math.floorMod(cursor.getAndIncrement(), BLOCK);
            // A dev port given to a test instance would be left where it is (moving it to itself),
            // and the instance refused as a broken dev configuration; the filter port's 20024 and
            // 20025 and the milter's 28891 lie inside the blocks.
            if (!MaildeckInstance.DEV_PORTS.containsValue(port) && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + base + ".." + (base + BLOCK - 1));
    }

    /** The first block whose lock file this JVM can lock; the lock lasts as long as the JVM. */
    private static int claimBlock() {
        Path locks = Path.of(System.getProperty("java.io.tmpdir"));
        for (int block = 0; block < BLOCKS; block++) {
            try {
                FileChannel channel = FileChannel.open(locks.resolve("maildeck-test-ports-" + block + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                if (channel.tryLock() != null) {
                    blockLock = channel;
                    return block;
                }
                channel.close();
            } catch (IOException | OverlappingFileLockException e) {
                // taken, or not ours to lock: try the next block
            }
        }
        throw new IllegalStateException("all " + BLOCKS + " test port blocks are taken by other test JVMs");
    }

    private static boolean isFree(int port) {
        // the wildcard bind fails when any address holds the port, loopback included
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
