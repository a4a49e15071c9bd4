/**
 * {@code berth up}: a stack of local services from one file, supervised as separate processes.
 *
 * <ul>
 *   <li>The file: {@link dev.berth.cli.internal.stack.StackFiles} finds and reads a {@code
 *       berth.yaml} or a {@code Procfile} into a {@link dev.berth.cli.internal.stack.StackFile}
 *       (a list of {@link dev.berth.cli.internal.stack.ServiceSpec}); every error is a {@link
 *       dev.berth.cli.internal.stack.StackFileException} naming file:line:column. {@link
 *       dev.berth.cli.internal.stack.EnvTemplate} expands {@code ${orders}} in env values.
 *       The keys, defaults and errors are in {@code docs/stack-file.md}; editors get
 *       {@code docs/berth.schema.json}.
 *   <li>The order: {@link dev.berth.cli.internal.stack.StackGraph} groups the services by
 *       dependency depth, for starting (and, reversed, stopping) them.
 *   <li>The namespace: {@link dev.berth.cli.internal.stack.StackNamespace}, one per stack
 *       directory, so that two checkouts of a project never see each other's services.
 *   <li>The supervisor implements {@link dev.berth.local.internal.StackControl}, answers it on
 *       a {@link dev.berth.cli.internal.stack.ControlSocket}, writes the stack's {@code
 *       stack.json} ({@link dev.berth.local.internal.StackStateFile}: {@code StackState} in
 *       {@code state.proto}) and sends every line its processes print to a {@link
 *       dev.berth.cli.internal.stack.StackOutput}. Both files' readers, and the control
 *       socket's lines, are in {@code local}: the registry's dashboard reads and asks too.
 * </ul>
 */
@Internal
package dev.berth.cli.internal.stack;

import dev.berth.local.Internal;
