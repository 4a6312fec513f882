/**
 * Microsoft Entra ID over Graph: the set-up and consent, the Graph client, the source the engine reads, the
 * change-notification receiver and its worker, and subscription upkeep.
 */
package io.rollcall.entra;
