/**
 * A JSON directory: any HR system or in-house directory that lists its people as JSON over HTTPS, pulled daily or on
 * "Sync users" through the connector SPI ({@code io.rollcall.connector}) alone. A pull source only: it has no change
 * notifications, so a change arrives with the next full run. The contract it reads is in the README ("A JSON
 * directory").
 */
package io.rollcall.jsondirectory;
