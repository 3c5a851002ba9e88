/**
 * The runnable Comet server: {@link io.comet.launcher.Main} (command line, signals),
 * {@link io.comet.launcher.IniFile} and {@link io.comet.launcher.LauncherConfig}
 * ({@code comet.ini}, cometql.md §7) and {@link io.comet.launcher.CometServerLauncher}, the one
 * class that wires store, engine and listeners.
 */
package io.comet.launcher;
