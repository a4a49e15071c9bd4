package dev.berth.local;

/**
 * The namespace rule every Berth process shares: {@code ""} is the default namespace (every
 * service started outside a stack), anything else is a DNS label ({@link DnsLabel}), as
 * {@code berth up} gives each stack one. The word {@value #DEFAULT_WORD} also means the default
 * namespace wherever a person writes one (a command line, {@code $BERTH_NAMESPACE},
 * {@code berth:///orders?namespace=default}), since {@code ""} is awkward to type; a stack's own
 * namespace always ends in a hash ({@code shop-3fa2c1}), so it is never that word.
 *
 * <p>The default of a process: the system property {@value #PROPERTY}, else
 * {@code $}{@value #ENV}, else {@code ""}; a value set but blank counts as unset, as for every
 * other {@code BERTH_} variable.
 *
 * <pre>{@code
 * Namespace.check("namespace", "shop-3fa2c1");   // "shop-3fa2c1"
 * Namespace.check("namespace", "default");       // ""
 * Namespace.check("namespace", "Shop");          // IllegalArgumentException naming 'Shop'
 * }</pre>
 *
 * <p>Plain JDK classes only (the CLI's launcher uses it). Thread-safe (stateless).
 */
public final class Namespace {

  /** The system property that sets a process's default namespace. */
  public static final String PROPERTY = "berth.namespace";
  /** The environment variable that sets it where the property is not set. */
  public static final String ENV = "BERTH_NAMESPACE";
  /** The word for the default namespace {@code ""}. */
  public static final String DEFAULT_WORD = "default";
  /** The rule in words, for messages. */
  public static final String RULE = "'" + DEFAULT_WORD + "' or '' for the default namespace, else "
      + DnsLabel.RULE;

  private Namespace() {}

  /** True if {@code value} names a namespace: {@code ""}, {@value #DEFAULT_WORD} or a DNS label. */
  public static boolean isNamespace(String value) {
    return value != null && (value.isEmpty() || DnsLabel.isLabel(value));
  }

  /**
   * The namespace {@code value} names ({@code ""} for {@value #DEFAULT_WORD}), or an
   * {@link IllegalArgumentException} naming {@code what} and the value:
   * {@code namespace: 'Shop' (expected: 'default' or '' for the default namespace, else a DNS label ...)}.
   */
  public static String check(String what, String value) {
    if (!isNamespace(value)) {
      throw new IllegalArgumentException(what + ": '" + value + "' (expected: " + RULE + ")");
    }
    return DEFAULT_WORD.equals(value) ? "" : value;
  }

  /** This process's default: {@link #fromEnvironment(String, String)} of the property and the variable. */
  public static String fromEnvironment() {
    return fromEnvironment(System.getProperty(PROPERTY), System.getenv(ENV));
  }

  /**
   * The property if set and not blank, else the variable if set and not blank, else {@code ""};
   * checked, the error naming where the bad value came from ({@code -Dberth.namespace} or
   * {@code BERTH_NAMESPACE}).
   */
  public static String fromEnvironment(String property, String env) {
    if (property != null && !property.isBlank()) {
      return check("-D" + PROPERTY, property.strip());
    }
    if (env != null && !env.isBlank()) {
      return check(ENV, env.strip());
    }
    return "";
  }

  /** {@code value} for a person: {@value #DEFAULT_WORD} for {@code ""}, else itself. */
  public static String display(String value) {
    return value.isEmpty() ? DEFAULT_WORD : value;
  }
}
