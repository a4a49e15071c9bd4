package dev.berth.cli.internal.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The control socket's lines: a request {@code status}, {@code restart SERVICE}, {@code stop
 * SERVICE} or {@code stop-all}; an answer {@code ok}, {@code ok <StackState as one-line JSON>}
 * (for {@code status}), or {@code error arg|state MESSAGE} (an {@link IllegalArgumentException}
 * or any other failure, its message on one line).
 *
 * <p>Every read and write has a deadline: a channel is non-blocking and waited on with a
 * {@link Selector}, as a Unix socket channel has no read timeout of its own.
 */
final class ControlProtocol {

  static final String STATUS = "status";
  static final String RESTART = "restart";
  static final String STOP = "stop";
  static final String STOP_ALL = "stop-all";
  static final String OK = "ok";
  static final String ERROR = "error";
  static final String ARG = "arg";
  static final String STATE = "state";
  static final int MAX_REQUEST = 4096;
  static final int MAX_ANSWER = 16 * 1024 * 1024;

  private ControlProtocol() {}

  /** Reads one request from {@code connection}, asks {@code control}, writes the answer, closes. */
  static void answer(SocketChannel connection, StackControl control, Duration requestTimeout) {
    try (connection) {
      connection.configureBlocking(false);
      String request = readLine(connection, requestTimeout, MAX_REQUEST);
      String answer;
      try {
        answer = dispatch(request, control);
      } catch (IllegalArgumentException e) {
        answer = ERROR + " " + ARG + " " + oneLine(e.getMessage());
      } catch (RuntimeException e) {
        answer = ERROR + " " + STATE + " " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
      }
      writeLine(connection, answer, requestTimeout);
    } catch (IOException e) {
      // the client went away or never spoke: nothing to answer
    }
  }

  private static String dispatch(String request, StackControl control) {
    String[] words = request.strip().split(" +", 2);
    String verb = words[0];
    String service = words.length > 1 ? words[1].strip() : "";
    switch (verb) {
      case STATUS:
        return OK + " " + ControlSocket.toJson(control.status());
      case RESTART:
        control.restart(requireService(verb, service));
        return OK;
      case STOP:
        control.stop(requireService(verb, service));
        return OK;
      case STOP_ALL:
        control.stopAll();
        return OK;
      default:
        throw new IllegalArgumentException("control request '" + request + "' (expected: " + STATUS
            + ", " + RESTART + " SERVICE, " + STOP + " SERVICE or " + STOP_ALL + ")");
    }
  }

  private static String requireService(String verb, String service) {
    if (service.isEmpty() || service.contains(" ")) {
      throw new IllegalArgumentException("control request '" + verb + " " + service
          + "' (expected: " + verb + " SERVICE)");
    }
    return service;
  }

  static String oneLine(String message) {
    return message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }

  /** One line from a non-blocking {@code channel}, without its terminator; EOF before it ends fails. */
  static String readLine(SocketChannel channel, Duration timeout, int max) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        int n = channel.read(buffer);
        if (n < 0) {
          throw new java.io.EOFException("closed before a whole line (" + line.size() + " bytes)");
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

  static void writeLine(SocketChannel channel, String line, Duration timeout) throws IOException {
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
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no answer");
    }
    selector.select(Math.max(1, left / 1_000_000));
    selector.selectedKeys().clear();
  }
}
