package dev.berth.cli.internal.stack;

import static dev.berth.local.internal.ControlProtocol.ARG;
import static dev.berth.local.internal.ControlProtocol.ERROR;
import static dev.berth.local.internal.ControlProtocol.OK;
import static dev.berth.local.internal.ControlProtocol.RESTART;
import static dev.berth.local.internal.ControlProtocol.STATE;
import static dev.berth.local.internal.ControlProtocol.STATUS;
import static dev.berth.local.internal.ControlProtocol.STOP;
import static dev.berth.local.internal.ControlProtocol.STOP_ALL;

import dev.berth.local.internal.ControlProtocol;
import dev.berth.local.internal.StackControl;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The supervisor's end of {@link ControlProtocol}: one request line read, the {@link
 * StackControl} asked, one answer line written. Only {@code berth up} answers, so this half of the
 * protocol stays in the CLI; the lines themselves are in {@code local}, which the registry's
 * dashboard asks with too. Stateless; called on {@link ControlSocket}'s handler threads.
 */
final class ControlAnswer {

  private ControlAnswer() {}

  /** Reads one request from {@code connection}, asks {@code control}, writes the answer, closes. */
  static void answer(SocketChannel connection, StackControl control, Duration requestTimeout) {
    try (connection) {
      connection.configureBlocking(false);
      String request = ControlProtocol.readLine(connection, requestTimeout, ControlProtocol.MAX_REQUEST);
      String answer;
      try {
        answer = dispatch(request, control);
      } catch (IllegalArgumentException e) {
        answer = ERROR + " " + ARG + " " + ControlProtocol.oneLine(e.getMessage());
      } catch (RuntimeException e) {
        answer = ERROR + " " + STATE + " "
            + ControlProtocol.oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
      }
      ControlProtocol.writeLine(connection, answer, requestTimeout);
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
}
