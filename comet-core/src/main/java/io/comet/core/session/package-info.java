/** The session and user registry of one node: live sessions, private receivers, kick. */
package io.comet.core.session;
