package io.rollcall.connector;

import java.util.UUID;

import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;

/**
 * A directory integration as the console shows it: its set-up (what the page renders) and "Sync users". The page
 * itself, with the run going on and the recent runs, is the same for every integration.
 */
public interface Integration {

	/** The source, as runs name it, and the page's name: {@code /console/integrations/{kind}}. */
	String kind();

	/** Its name as admins know it, e.g. "Entra ID". */
	String name();

	/** The company's set-up as the page shows it; secrets never included. */
	Object setup(UUID companyId);

	/** "Sync users": a full run, or its plan alone when {@code dryRun}. */
	SyncRun sync(UUID companyId, boolean dryRun, Actor actor);

}
