package io.rollcall.directory;

import java.util.UUID;

/** A label on people, e.g. one per group a SCIM client pushes. */
public record Tag(UUID id, String name, int personCount) {
}
