/**
 * What every directory connector shares, so that a provider's package holds only what differs (its listing, its
 * incremental strategy, its record mapping, its notifications or hooks). The data flow: a provider's
 * {@link io.rollcall.connector.ProviderSource} reads people over {@link io.rollcall.connector.ProviderHttp} (one
 * client, the provider's rules for errors and retry waits) and hands records to the sync engine, which maps, plans
 * and applies them (a full listing is read a few pages ahead of the planning by a
 * {@link io.rollcall.connector.ReadAhead}); its receiver queues changes that a {@link io.rollcall.connector.ChangeWorker} turns into runs; its
 * {@link io.rollcall.platform.Jobs} run the {@link io.rollcall.connector.DailySync} and upkeep; and the console
 * shows every {@link io.rollcall.connector.Integration} on one page shape. A company's set-up is a
 * {@link io.rollcall.connector.ProviderIntegration} (in the REST API an {@link io.rollcall.connector.IntegrationApi}),
 * kept in its {@link io.rollcall.connector.ProviderConnections} table; a receiver hands what it heard to
 * {@link io.rollcall.connector.HookDeliveries}; pictures become avatars from {@link io.rollcall.connector.ProviderPictures}.
 */
package io.rollcall.connector;
