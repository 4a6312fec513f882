package io.rollcall.directory;

/** An invitation just sent, with its one-time link (only for the operator's first owner invitation). */
public record SentInvitation(Invitation invitation, String link) {
}
