/**
 * The hand-written lexer and recursive-descent parser of the CometQL SQL subset (cometql.md §2)
 * plus the connect-time statements of MySQL drivers (§1.11). String literals are unescaped by
 * MySQL's rules; every grammar failure is ERR 3.
 */
package io.comet.cometql.sql;
