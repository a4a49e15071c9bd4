package dev.berth.local.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.Internal;
import dev.berth.proto.v1.StackState;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link StackControl} over a supervisor's control socket ({@link ControlProtocol}): one
 * connection per call, each bounded by the timeout. The CLI's {@code berth ps}, {@code restart},
 * {@code stop} and {@code down} ask through it (the CLI's {@code ControlSocket.connect}), and so
 * does the registry's dashboard. Calls throw {@link IllegalArgumentException} with the
 * supervisor's message for a request it refused ({@code error arg}, such as an unknown service),
 * and {@link IllegalStateException} for any other failure or when no supervisor answers. An
 * interrupted call ends at once with an {@link IllegalStateException}, the thread's interrupt
 * flag still set (the supervisor may still do what was asked).
 * Thread-safe (it holds no connection between calls).
 */
@Internal
public final class ControlClient implements StackControl {

  private final Path socket;
  private final Duration timeout;

  private ControlClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** The supervisor answering at {@code socket}; each call waits at most {@code timeout} for it. */
  public static ControlClient of(Path socket, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    return new ControlClient(socket.toAbsolutePath(), timeout);
  }

  @Override
  public StackState status() {
    String json = call(ControlProtocol.STATUS, false);
    StackState.Builder state = StackState.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the supervisor on " + socket + " answered status with what is"
          + " not a stack state: " + e.getMessage(), e);
    }
    return state.build();
  }

  @Override
  public void restart(String service) {
    call(ControlProtocol.RESTART + " " + service, false);
  }

  @Override
  public void stop(String service) {
    call(ControlProtocol.STOP + " " + service, false);
  }

  /** A supervisor that exits before it answers has done what was asked: that is ok too. */
  @Override
  public void stopAll() {
    call(ControlProtocol.STOP_ALL, true);
  }

  private static String shown(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Sends {@code request}; the text after {@code ok}, or the supervisor's error thrown. */
  private String call(String request, boolean eofIsOk) {
    String answer;
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      channel.configureBlocking(false);
      ControlProtocol.writeLine(channel, request, timeout);
      try {
        answer = ControlProtocol.readLine(channel, timeout, ControlProtocol.MAX_ANSWER);
      } catch (EOFException e) {
        if (eofIsOk) {
          return "";
        }
        throw new IllegalStateException("the supervisor on " + socket + " closed the connection"
            + " without answering '" + request + "' (did it exit? 'berth ps' tells)", e);
      }
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException("the supervisor on " + socket + " did not answer '" + request
          + "' within " + shown(timeout), e);
    } catch (InterruptedIOException | ClosedByInterruptException e) { // the latter: in connect
      throw new IllegalStateException("interrupted while the supervisor on " + socket + " was asked '"
          + request + "'; it may still do it ('berth ps' tells)", e);
    } catch (IOException e) {
      throw new IllegalStateException("no supervisor answers on " + socket + " (" + e.getMessage()
          + "): 'berth ps' says whether the stack is up ('berth up' starts it)", e);
    }
    if (answer.equals(ControlProtocol.OK)) {
      return "";
    }
    if (answer.startsWith(ControlProtocol.OK + " ")) {
      return answer.substring(ControlProtocol.OK.length() + 1);
    }
    String arg = ControlProtocol.ERROR + " " + ControlProtocol.ARG + " ";
    if (answer.startsWith(arg)) {
      throw new IllegalArgumentException(answer.substring(arg.length()));
    }
    String state = ControlProtocol.ERROR + " " + ControlProtocol.STATE + " ";
    if (answer.startsWith(state)) {
      throw new IllegalStateException(answer.substring(state.length()));
    }
    throw new IllegalStateException("the supervisor on " + socket + " answered '" + request + "' with '"
        + answer + "' (expected: ok or error)");
  }
}
