/**
 * People, teams, tags, custom fields, invitations: the directory. This module is the only writer of them;
 * sources and the console change the directory through {@link io.rollcall.directory.People},
 * {@link io.rollcall.directory.Teams} and {@link io.rollcall.directory.Invitations}.
 */
package io.rollcall.directory;
