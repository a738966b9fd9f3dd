-- Entrance amendments: an operator's proposal to add, rename or retire entrances of an approved
-- venue, and the registry's decision. `changes` is the proposal as JSON (entrance names and ids
-- only: nothing personal), with the ids of added entrances fixed when it was proposed. At most
-- one amendment per venue is pending: the partial unique index refuses a second even when two
-- proposals race.
CREATE TABLE `entrance_amendments` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`changes` text NOT NULL,
	`status` text NOT NULL,
	`proposed_by` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`refusal` text,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "entrance_amendments_status" CHECK(`status` IN ('pending', 'approved', 'refused'))
);
CREATE INDEX `entrance_amendments_venue` ON `entrance_amendments` (`venue_id`, `proposed_at`);
CREATE UNIQUE INDEX `entrance_amendments_one_pending` ON `entrance_amendments` (`venue_id`)
	WHERE `status` = 'pending';
-- A retired entrance (an approved amendment retired it): when, and the entrance of the same venue
-- to scan instead (NULL: none, ask staff). Its `active` is 0 too, so posters and staff lists drop it.
ALTER TABLE `entrances` ADD `retired_at` integer;
ALTER TABLE `entrances` ADD `replaced_by` text;
