package io.rollcall.sso;

import java.util.UUID;

import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;

/** Who called the API: a company API key, or the operator (companyId null). */
record ApiCaller(Actor actor, UUID companyId) implements ActingPrincipal {
}
