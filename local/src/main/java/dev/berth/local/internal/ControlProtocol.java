package dev.berth.local.internal;

import dev.berth.local.Internal;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The lines of a stack supervisor's control socket, as both ends speak them: {@code berth up}
 * answers (the CLI's {@code ControlSocket} and {@code ControlAnswer}); the CLI's commands and the
 * registry's dashboard ask ({@link ControlClient}). A request is {@code status}, {@code restart
 * SERVICE}, {@code stop SERVICE} or {@code stop-all}; an answer is {@code ok}, {@code ok
 * <StackState as one-line JSON>} (for {@code status}), or {@code error arg|state MESSAGE} (an
 * {@link IllegalArgumentException} or any other failure, its message on one line).
 *
 * <p>Every read and write has a deadline: a channel is non-blocking and waited on with a
 * {@link Selector}, as a Unix socket channel has no read timeout of its own. An interrupt of the
 * waiting thread ends the wait with an {@link InterruptedIOException} (not a {@link
 * SocketTimeoutException}, which is one too: catch that first), the thread's interrupt flag left
 * set: a selector returns at once while the flag is set, so a wait that went on would spin.
 * Stateless.
 */
@Internal
public final class ControlProtocol {

  public static final String STATUS = "status";
  public static final String RESTART = "restart";
  public static final String STOP = "stop";
  public static final String STOP_ALL = "stop-all";
  public static final String OK = "ok";
  public static final String ERROR = "error";
  public static final String ARG = "arg";
  public static final String STATE = "state";
  public static final int MAX_REQUEST = 4096;
  public static final int MAX_ANSWER = 16 * 1024 * 1024;

  private ControlProtocol() {}

  /** {@code message} with its line breaks turned into spaces: an answer is one line. */
  public static String oneLine(String message) {
    return message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }

  /** One line from a non-blocking {@code channel}, without its terminator; EOF before it ends fails. */
  public static String readLine(SocketChannel channel, Duration timeout, int max) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        int n = channel.read(buffer);
        if (n < 0) {
          throw new EOFException("closed before a whole line (" + line.size() + " bytes)");
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            return line.toString(StandardCharsets.UTF_8);
          }
          line.write(b);
        }
        buffer.clear();
        if (line.size() > max) {
          throw new IOException("a line longer than " + max + " bytes");
        }
        if (n == 0) {
          await(selector, deadline);
        }
      }
    }
  }

  /** Writes {@code line} and a newline to a non-blocking {@code channel} within {@code timeout}. */
  public static void writeLine(SocketChannel channel, String line, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_WRITE);
      while (buffer.hasRemaining()) {
        if (channel.write(buffer) == 0) {
          await(selector, deadline);
        }
      }
    }
  }

  private static void await(Selector selector, long deadline) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      // kept set for the caller: select() would return at once again and again
      throw new InterruptedIOException("interrupted while waiting on the control socket");
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no answer");
    }
    selector.select(Math.max(1, left / 1_000_000));
    selector.selectedKeys().clear();
  }
}
