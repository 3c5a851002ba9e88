/** The engine context: settings, rules, clock, store and counters shared by every component. */
package io.comet.core.context;
