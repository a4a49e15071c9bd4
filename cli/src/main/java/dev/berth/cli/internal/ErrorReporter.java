package dev.berth.cli.internal;

import dev.berth.client.BerthException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a usage error (exit 2) or a failure (exit 1) into one line on stderr, prefixed
 * {@code berth:}; the stack trace follows only under {@code --verbose}.
 */
public final class ErrorReporter {

  private final BooleanSupplier verbose;

  public ErrorReporter(BooleanSupplier verbose) {
    this.verbose = verbose;
  }

  /** picocli's {@code IParameterExceptionHandler}. */
  public int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    // a value our own converters refused says everything; picocli's prefix would only repeat the label
    String message = e.getCause() instanceof ServiceTarget.Refused ? e.getCause().getMessage() : e.getMessage();
    err.println("berth: " + oneLine(message) + " (see '" + name + " --help')");
    if (verbose.getAsBoolean()) {
      e.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.USAGE;
  }

  /** picocli's {@code IExecutionExceptionHandler}. */
  public int failure(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code = 1;
    String message;
    if (e instanceof CliException) {
      message = e.getMessage();
      code = ((CliException) e).exitCode();
    } else if (e instanceof BerthException) {
      message = e.getMessage();
    } else if (e instanceof StatusRuntimeException) {
      Status status = ((StatusRuntimeException) e).getStatus();
      message = "the registry answered " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + status.getDescription());
    } else if (e instanceof ParameterException) {
      return usageError((ParameterException) e, new String[0]);
    } else if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      // the library's word for a bad value, and every value here came from the command line
      return usageError(new ParameterException(cmd, e.getMessage(), e), new String[0]);
    } else if (e instanceof IllegalStateException && e.getMessage() != null) {
      message = e.getMessage();
    } else if (e instanceof dev.berth.cli.internal.stack.StackFileException) {
      message = e.getMessage(); // FILE:LINE:COLUMN: what is wrong (expected: ...)
    } else {
      message = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    err.println("berth: " + oneLine(message));
    if (verbose.getAsBoolean()) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static String oneLine(String s) {
    return OneLine.of(s);
  }
}
