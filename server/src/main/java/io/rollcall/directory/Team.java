package io.rollcall.directory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * @param parentId the team above this one; teams are flat until someone sets a parent
 * @param managerIds who manage the team (and so its members without an override manager), first added first
 * @param memberCount people whose primary team this is
 */
public record Team(UUID id, String name, UUID parentId, List<UUID> managerIds, int memberCount, Instant createdAt) {
}
