/**
 * The pgoutput logical replication protocol (versions 1 to 4, without streamed or two-phase transactions):
 * message types as a sealed hierarchy and {@link io.concord.replicator.capture.pgoutput.PgOutputDecoder}, one
 * method per message byte. See "Logical Replication Message Formats" in the PostgreSQL documentation.
 */
package io.concord.replicator.capture.pgoutput;
