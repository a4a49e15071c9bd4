package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import java.util.List;

/**
 * One of doctor's checks: looks at the {@link Facts} and adds what it finds, one {@link
 * Finding} per thing to say, in the words of {@code doctor.proto} ({@code check} is the check's
 * stable word). Never changes anything and never connects anywhere. Implementations are
 * stateless.
 */
interface Check {

  void run(Facts facts, List<Finding> out);

  static Finding.Builder problem(String check, String message, String fix) {
    return Finding.newBuilder().setSeverity(Finding.Severity.PROBLEM).setCheck(check)
        .setMessage(message).setFix(fix);
  }

  static Finding.Builder note(String check, String message, String fix) {
    return Finding.newBuilder().setSeverity(Finding.Severity.NOTE).setCheck(check)
        .setMessage(message).setFix(fix);
  }
}
