/**
 * CometQL over HTTP ({@code COMETQL-HTTP.md}): a transport-neutral service the HTTP listener
 * calls with the Authorization header and the query body.
 */
package io.comet.cometql.http;
