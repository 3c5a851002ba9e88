/** Private messages: receivers, the queue-if-offline decision, replay order. */
package io.comet.core.privatemsg;
