-- Venue requests: a venue asks the authority for its own check-in records (its entrances, a
-- window, a reason category and an optional note); an officer refuses it with a reason or
-- approves it, and the approval is a venue-request entry in the public log (log_index). What the
-- approval gives (grants: JSON array) is the deployment's policy when the request was filed.
-- At most one pending request per venue (the partial unique index).
CREATE TABLE `venue_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`entrances` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text NOT NULL DEFAULT '',
	`grants` text NOT NULL,
	`filed_by` text NOT NULL,
	`filed_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`refusal` text,
	`log_index` text,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
CREATE INDEX `venue_requests_venue` ON `venue_requests` (`venue_id`, `filed_at`);
CREATE UNIQUE INDEX `venue_requests_one_pending` ON `venue_requests` (`venue_id`) WHERE `decided_at` IS NULL;
