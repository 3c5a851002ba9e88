/**
 * The runnable Comet server: {@link io.comet.launcher.Main} (command line, config lookup,
 * signals and the shutdown deadline), {@link io.comet.launcher.IniFile} and
 * {@link io.comet.launcher.IniKeys} ({@code comet.ini} syntax and the registry of every key,
 * cometql.md §7), {@link io.comet.launcher.LauncherConfig} (immutable settings with a builder for
 * embedding) and {@link io.comet.launcher.CometServerLauncher}, the one class that wires store,
 * engine and listeners and stops them gracefully.
 */
package io.comet.launcher;
