/**
 * {@code berth debug NAME --intellij / --vscode}: IDE attach configurations that point at a
 * service's sticky debug port, so they keep working across restarts.
 *
 * <ul>
 *   <li>{@link dev.berth.cli.internal.ide.IntellijRunConfig}: {@code .run/NAME-debug.run.xml},
 *       IntelliJ's "Remote JVM Debug" (or attach-to-Node) run configuration.
 *   <li>{@link dev.berth.cli.internal.ide.VsCodeLaunch}: one entry of {@code .vscode/launch.json},
 *       added or updated by its name, the file's other entries kept; {@link
 *       dev.berth.cli.internal.ide.Jsonc} reads the file's JSON-with-comments.
 *   <li>{@link dev.berth.cli.internal.ide.ProjectFile}: written whole or not at all, and only
 *       when its content changes, so running the command twice changes nothing.
 * </ul>
 */
@Internal
package dev.berth.cli.internal.ide;

import dev.berth.local.Internal;
